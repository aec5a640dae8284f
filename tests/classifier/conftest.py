"""Fixtures for the classifier tests: a tiny bilingual dataset and trained models."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import pytest

from classifier import LabelledData, TriageModel, load_model, load_starter_corpus, train_model
from classifier.data import CORPUS_DIR

# CI's PostgreSQL phase leaves these tests out (`make test-db`): they must touch no database.
DATABASE_FIXTURES = {"database_url", "app_factory", "app", "client", "runner"}


@pytest.fixture(autouse=True)
def _no_database(request):
    used = DATABASE_FIXTURES & set(request.fixturenames)
    assert not used, f"tests/classifier must not use a database; it asks for {sorted(used)}"


# A few hand-written reports per topic; enough for mechanics, not for quality claims.
_TINY = {
    "battery-safety": [
        ("某品牌电动车充电时电池起火爆炸，已经烧了三辆，赶紧转发！", 1),
        ("Video shows EV battery exploding while charging, share before it is deleted!", 1),
        ("电池热失控原理科普：为什么锂电池会自燃", 0),
        ("Battery range drops in winter, owners report slower charging", 0),
    ],
    "autonomous-driving": [
        ("自动驾驶汽车撞人后逃逸，官方隐瞒真相！", 1),
        ("Robotaxi drove into a river and the company hid it, forward this", 1),
        ("辅助驾驶系统需要驾驶员随时接管", 0),
        ("Autopilot review: lane keeping works on highways", 0),
    ],
    "vehicle-data": [
        ("车内摄像头偷拍车主并上传境外服务器，数据全部泄露", 1),
        ("Hackers can unlock every car remotely and steal your data, share now", 1),
        ("车企发布数据安全白皮书", 0),
        ("Carmaker explains how in-car camera data is stored", 0),
    ],
    "policy-standards": [
        ("工信部〔2026〕12号通知：明年起全面禁止燃油车上路，速转", 1),
        ("Ministry notice No. 7: all EVs banned from highways from next month", 1),
        ("国家标准委发布电动汽车安全要求征求意见稿", 0),
        ("Ministry publishes draft standard for charging connectors", 0),
    ],
    "industry-market": [
        ("某车企下周宣布破产，员工全部裁员，股价将归零", 1),
        ("Leaked memo: carmaker recalls every car and goes bankrupt tomorrow", 1),
        ("新能源车三月销量同比增长", 0),
        ("EV sales rose in March according to the industry association", 0),
    ],
    "road-cloud": [
        ("车路云试点城市全部叫停，5G-V2X基站有辐射致癌", 1),
        ("Smart road pilot cancelled because V2X radiation causes cancer", 1),
        ("车路协同试点新增十个城市", 0),
        ("Pilot city adds roadside units for V2X communication", 0),
    ],
    "off-topic": [
        ("今天天气不错，适合去公园散步", 0),
        ("Great recipe for tomato soup, try it tonight", 0),
        ("限时优惠！加微信领取免费礼品", 0),
        ("Buy cheap watches now, best price, click here", 0),
    ],
}


@pytest.fixture(scope="session")
def tiny_data() -> LabelledData:
    """Return the tiny dataset, repeated with small variations so CV folds have every class."""
    data = LabelledData()
    for topic, rows in _TINY.items():
        for (text, actionable), suffix in itertools.product(rows, ("", " 。", " (2)")):
            data.texts.append(text + suffix)
            data.topics.append(topic)
            data.actionable.append(actionable)
    return data


@pytest.fixture(scope="session")
def tiny_model(tiny_data: LabelledData) -> TriageModel:
    """Return a model trained once on the tiny dataset."""
    return train_model(tiny_data)


@pytest.fixture(scope="session")
def starter_data() -> LabelledData:
    """Return the bundled starter corpus, or skip while it is not written yet."""
    if not list(Path(CORPUS_DIR).glob("*.csv")):
        pytest.skip("starter corpus not present in classifier/corpus/")
    return load_starter_corpus()


@pytest.fixture(scope="session")
def starter_model(starter_data: LabelledData, model_blob: bytes) -> TriageModel:
    """Return the starter model of this test run (trained once, shared by every worker)."""
    return load_model(model_blob)[0]


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    """Return a factory writing CSV text (or raw bytes) to a temporary file."""

    def write(content: str | bytes, name: str = "data.csv") -> Path:
        path = tmp_path / name
        raw = content.encode("utf-8") if isinstance(content, str) else content
        path.write_bytes(raw)
        return path

    return write
