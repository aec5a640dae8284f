"""Three real-sized photos through the public form in a browser, and back intact to staff."""

import hashlib

import pytest

from intake.core.extensions import db
from intake.core.models import Report
from intake.users import accounts as users

from .steps import sign_in

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
PHOTO_BYTES = 4_500_000  # a phone photo: random-looking compressed data, 4.5 MB


def test_three_photos_go_through_and_download_byte_identical(page, live_server, app,
                                                             random_jpeg, artifacts):
    photos = {f"IMG_20261203_{i}.jpg": random_jpeg(PHOTO_BYTES, seed=100 + i) for i in range(3)}
    with app.app_context():
        users.create_user("root", PASSWORD, "admin", [], actor="cli:test")
        db.session.commit()

    page.goto(f"{live_server}/report")
    page.fill("#claim", "照片显示某品牌电动车在地下车库充电时电池起火，火势蔓延到整栋楼。")
    page.fill("#explanation", "三张照片是我在现场拍的：起火的是旁边的燃油车，不是电动车。")
    page.set_default_timeout(60_000)  # 13.5 MB travel to the browser over the debug pipe
    page.set_input_files("#evidence", files=[
        {"name": name, "mimeType": "image/jpeg", "buffer": data}
        for name, data in photos.items()])
    page.check("#good_faith")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Send report").click()
    assert navigation.value.status == 200, page.content()[:2000]
    assert "/report/receipt/" in page.url
    code = page.locator("#tracking-code").inner_text().strip()
    page.screenshot(path=artifacts / "photos-1-receipt.png", full_page=True)

    with app.app_context():
        case_id = db.session.scalars(
            db.select(Report.case_id).where(Report.tracking_code == code)).one()
    page.context.clear_cookies()
    sign_in(page, live_server, "root")
    page.goto(f"{live_server}/staff/cases/{case_id}")
    links = page.locator("ul.evidence a:not(.thumb)")  # each photo: its name, and a thumbnail
    assert links.count() == 3
    assert page.locator("ul.evidence img").count() == 3
    page.screenshot(path=artifacts / "photos-2-case-evidence.png", full_page=True)

    downloaded = {}
    for i in range(3):
        with page.expect_download() as download:
            links.nth(i).click()
        with open(download.value.path(), "rb") as fh:
            downloaded[download.value.suggested_filename] = hashlib.sha256(fh.read()).hexdigest()
    assert downloaded == {name: hashlib.sha256(data).hexdigest() for name, data in photos.items()}
