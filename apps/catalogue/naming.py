"""Pinyin initials for search (拼音首字母): 食品经营许可 → spjyxk."""


def pinyin_initials(text: str) -> str:
    # Imported here, not at module level: pypinyin's dictionary costs ~55 MB per process, and every
    # process imports the admin (hence the catalogue services), while only saving an item needs it.
    from pypinyin import Style, lazy_pinyin

    letters = lazy_pinyin(text or "", style=Style.FIRST_LETTER, errors="ignore")
    return "".join(letters).lower()[:200]
