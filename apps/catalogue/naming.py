"""Pinyin initials for search (拼音首字母): 食品经营许可 → spjyxk."""

from pypinyin import Style, lazy_pinyin


def pinyin_initials(text: str) -> str:
    letters = lazy_pinyin(text or "", style=Style.FIRST_LETTER, errors="ignore")
    return "".join(letters).lower()[:200]
