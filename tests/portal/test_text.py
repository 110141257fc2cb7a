"""portal.text: what every form's text becomes before it is stored or searched."""

from __future__ import annotations

import pytest

from portal import text


def test_clean_text_removes_nul_and_control_characters_but_keeps_newlines_and_tabs():
    raw = "Đường\x00 thôn\x07 Đông\u202e\u200b\ufeff\n\tcần sửa\x1b"
    assert text.clean_text(raw) == "Đường thôn Đông\n\tcần sửa"


def test_clean_text_unifies_every_line_break_and_trims():
    assert text.clean_text("  a  \r\nb\rc\u2028d\x85e\n\n") == "a\nb\nc\nd\ne"


def test_clean_text_composes_nfc():
    decomposed = "Vie\u0302\u0323t"  # "Việt" typed with combining marks
    assert text.clean_text(decomposed) == "Việt"
    assert len(text.clean_text(decomposed)) == 4


def test_clean_text_drops_lone_surrogates_so_postgresql_accepts_the_value():
    assert text.clean_text("a\ud800b") == "ab"
    text.clean_text("a\ud800b").encode("utf-8")


@pytest.mark.parametrize("value", [None, "", " \n\t "])
def test_clean_text_of_nothing_is_empty(value):
    assert text.clean_text(value) == ""


def test_clean_line_collapses_whitespace_and_cuts():
    assert text.clean_line("  Nguyễn\tVăn\n  A\x00 ") == "Nguyễn Văn A"
    assert text.clean_line("Nguyễn Văn An", max_length=10) == "Nguyễn Văn"


def test_strip_control_keeps_layout():
    assert text.strip_control("  a\x00\n  b  ") == "  a\n  b  "


def test_normalize_search_is_accent_free_lowercase():
    assert text.normalize_search("  Đường ĐI   qua  Thôn Đồng Tâm ") == "duong di qua thon dong tam"
    assert text.normalize_search("NGHĨA") == text.normalize_search("nghia")


def test_to_html_escapes():
    assert text.to_html("<b>x</b>\n\ny") == "<p>&lt;b&gt;x&lt;/b&gt;</p>\n\n<p>y</p>"


def test_tracking_codes_use_the_unambiguous_alphabet_and_normalize():
    code = text.new_tracking_code()
    assert len(code) == 9 and code[4] == "-"
    assert set(code.replace("-", "")) <= set(text.CODE_ALPHABET)
    assert text.normalize_tracking_code(" abcd efgh ") == "ABCD-EFGH"
