"""Staff pages with contact details and the hotline lookup are never kept by a cache."""


def test_case_page_and_hotline_lookup_send_no_store(client, make_user, login, make_case):
    make_user("root", role="admin", desks=())
    login("root")
    case_id = make_case()

    case_page = client.get(f"/staff/cases/{case_id}")
    lookup = client.post("/staff/hotline/lookup", data={"caller_number": "+86 138-0013-8000"})
    audit = client.get("/staff/audit")

    for response in (case_page, lookup, audit):
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "private, no-store"
