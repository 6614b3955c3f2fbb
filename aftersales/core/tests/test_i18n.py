"""Chinese is the default language and the catalogue is complete; English is the source language."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.utils import translation

PO = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def entries() -> list[tuple[str, str]]:
    text = PO.read_text(encoding="utf-8")
    pairs = re.findall(r'msgid ((?:"(?:[^"\\]|\\.)*"\n)+)msgstr ((?:"(?:[^"\\]|\\.)*"\n?)+)', text)
    join = lambda raw: "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', raw))  # noqa: E731
    return [(join(i), join(s)) for i, s in pairs][1:]  # the first entry is the header


def test_every_message_has_a_chinese_translation():
    missing = [msgid for msgid, msgstr in entries() if not msgstr]
    assert missing == []
    untranslated_plurals = re.findall(r'msgid ("(?:[^"\\]|\\.)*")\nmsgid_plural .*\nmsgstr\[0\] ""\n', PO.read_text(encoding="utf-8"))
    assert untranslated_plurals == []
    assert len(entries()) > 300
    assert "#, fuzzy" not in PO.read_text(encoding="utf-8")


def test_the_default_language_is_simplified_chinese_and_english_is_offered():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert dict(settings.LANGUAGES).keys() == {"zh-hans", "en"}
    with translation.override("zh-hans"):
        assert translation.gettext("Call register") == "叫修登记簿"
    with translation.override("en"):
        assert translation.gettext("Call register") == "Call register"


def test_times_are_stored_in_utc_and_shown_in_shanghai_time():
    assert settings.USE_TZ is True
    assert settings.TIME_ZONE == "Asia/Shanghai"


def test_no_message_is_given_two_different_translations():
    """A later ``T.update`` silently overriding an earlier entry changed words elsewhere once; never again."""
    import ast
    from pathlib import Path

    from django.conf import settings

    source = (Path(settings.BASE_DIR) / "locale" / "zh_Hans_translations.py").read_text(encoding="utf-8")
    seen: dict[str, str] = {}
    conflicts = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and isinstance(value, ast.Constant):
                    if key.value in seen and seen[key.value] != value.value:
                        conflicts.append((key.value, seen[key.value], value.value))
                    seen[key.value] = value.value
    assert conflicts == []
