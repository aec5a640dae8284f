"""Stored values several packages name: platforms and decision outcomes, with their labels.

They live here so that core (the `label` template helper) never imports a feature package.
"""

from flask_babel import lazy_gettext as _l

# The platform keys the form, the API schema and the stored reports share, in their order.
PLATFORM_KEYS = (
    "wechat", "weibo", "douyin", "kuaishou", "xiaohongshu", "bilibili", "toutiao", "zhihu",
    "x", "facebook", "youtube", "news-site", "messaging", "offline", "other",
)
# The names people read (a key without a name here fails at import in reports/forms.py).
PLATFORM_NAMES = {
    "wechat": _l("WeChat"),
    "weibo": _l("Weibo"),
    "douyin": _l("Douyin / TikTok"),
    "kuaishou": _l("Kuaishou"),
    "xiaohongshu": _l("Xiaohongshu"),
    "bilibili": _l("Bilibili"),
    "toutiao": _l("Toutiao"),
    "zhihu": _l("Zhihu"),
    "x": _l("X / Twitter"),
    "facebook": _l("Facebook"),
    "youtube": _l("YouTube"),
    "news-site": _l("News website"),
    "messaging": _l("Group chat or private message"),
    "offline": _l("Offline (print, poster, word of mouth)"),
    "other": _l("Other"),
}
# A moderator's decision on a case, as the case page, the queue and appeals name it.
OUTCOME_LABELS = {
    "false": _l("False"),
    "misleading": _l("Misleading"),
    "accurate": _l("Accurate"),
    "unverifiable": _l("Could not be verified"),
    "spam": _l("Not a valid report"),
}
