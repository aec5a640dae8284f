"""Model lifecycle fixtures: trained artifacts (once per run), versions, decided cases."""

import random
import types

import pytest

import classifier
from intake.core.extensions import db
from intake.triage import training_set
from intake.triage.models import ModelActivation, ModelVersion

# A kind of rumour the starter corpus never saw; moderators file it under one desk.
NEW_KIND_TOPIC = "industry-market"
_EN = (["Rumour:", "Post says", "A viral video claims", "WeChat article:", "Someone on Weibo says",
        "Caller heard that"],
       ["insurers", "insurance companies", "car insurers", "the big insurance firms"],
       ["will refuse to renew cover for electric cars older than {n} years",
        "will multiply premiums for electric car owners by {n} next month",
        "are secretly blacklisting owners of electric cars",
        "will stop paying claims for electric cars parked outdoors for {n} days",
        "will cancel the policies of electric car owners who charge at home"],
       ["", " No insurer has said this.", " Is this true?", " The screenshot looks edited."])
_ZH = (["网传", "有人说", "短视频称", "公众号文章称", "朋友圈流传"],
       ["保险公司", "车险公司", "各大保险公司", "财险公司"],
       ["下月起新能源车险保费翻{n}倍", "拒绝给车龄超过{n}年的电动车续保", "把电动车车主拉进黑名单",
        "不再赔付露天停放超过{n}天的电动车", "对在家充电的电动车主取消保单"],
       ["", "，是真的吗？", "，截图像是P的", "，没有任何官方说法"])
# Written by hand, never produced by the templates: what "new similar reports" look like.
NEW_KIND_PROBES = [
    "Heard that insurers will double the premium for every electric car from January",
    "网传保险公司明年起拒保所有新能源车",
    "Post claims car insurers will blacklist owners of electric cars who charge at night",
    "朋友圈说车险公司对电动车主的保费要涨三倍",
]


def new_kind_texts(n: int, seed: int = 0) -> list[str]:
    """Return n distinct reports of the new kind, half English, half Chinese."""
    rng, out = random.Random(seed), []
    while len(out) < n:
        pre, subj, claim, post = _EN if len(out) % 2 == 0 else _ZH
        joiner = " " if pre is _EN[0] else ""
        text = joiner.join([rng.choice(pre), rng.choice(subj),
                            rng.choice(claim).format(n=rng.randint(2, 9))]) + rng.choice(post)
        if text not in out:
            out.append(text)
    return out


def _blob(data: classifier.LabelledData) -> bytes:
    model = classifier.train_model(data, random_state=0)
    return classifier.dump_model(model, classifier.make_card(data, None))


@pytest.fixture(scope="session")
def new_kind_blob(starter_sample) -> bytes:
    """A model that learnt the new kind of rumour: a second, different version.

    Trained on the starter sample: the tests that use it need a version that differs from
    the starter model and routes the new kind, not a second full-size training.
    """
    texts = new_kind_texts(40, seed=1)
    extra = classifier.LabelledData(texts, [NEW_KIND_TOPIC] * 40, [1] * 40)
    return _blob(starter_sample + extra)


@pytest.fixture
def sampled_starter(monkeypatch, starter_sample):
    """Make `flask model train` (training_set.build_split) learn from the starter sample.

    Only training_set sees the sample: patching classifier.load_starter_corpus itself would
    also reach the clustering IDF, which is cached for the whole process.
    """
    sampled = types.SimpleNamespace(**{**vars(classifier),
                                       "load_starter_corpus": lambda: starter_sample})
    monkeypatch.setattr(training_set, "classifier", sampled)
    return starter_sample


@pytest.fixture
def add_version(app, model_blob):
    """Register a version (active by default) straight in the registry tables."""

    def add(version: str = "v-starter", blob: bytes | None = None, activate: bool = True,
            card: dict | None = None) -> str:
        blob = blob or model_blob
        with app.app_context():
            row = ModelVersion(version=version, sha256=classifier.artifact_sha256(blob),
                               size=len(blob), card=card or {}, artifact=blob, created_by="test")
            db.session.add(row)
            if activate:
                db.session.add(ModelActivation(version=row, note="trained"))
            db.session.commit()
        return version

    return add


@pytest.fixture
def model_app(app_factory):
    """An app that scores on intake and re-checks the active model on every call."""
    return app_factory(SCORING_ENABLED=True, MODEL_CHECK_SECONDS=0)
