"""The case page names a trusted partner's priority component in both languages."""

import pytest


@pytest.mark.parametrize(("language", "label"), [("en", "Trusted partner"), ("zh", "可信合作方")])
def test_the_trust_component_has_a_label(app, client, make_user, login, make_case, language,
                                         label):
    make_user("mod")
    login("mod")
    case_id = make_case(priority=40.0, priority_components={"actionable": 30.0, "trust": 10.0})

    page = client.get(f"/staff/cases/{case_id}", headers={"Accept-Language": language})

    assert page.status_code == 200
    assert f'<th scope="row">{label}</th><td>10.0</td>' in page.get_data(as_text=True)
