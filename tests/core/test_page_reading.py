"""tests/support/pages.py reads markup as a browser would, whatever the source's layout."""

from tests.support.pages import page_text, select, select_one, texts

PAGE = """<!DOCTYPE html><html><head><title>Home</title><script>var hidden = 1;</script></head>
<body><nav><a class="x  y" href="/a">A <b>bold</b>
   link</a></nav><p>One<p>Two<br>three<ul><li data-id=1>R1<li data-id='2'>R2</ul>
<select name=language><option value=en selected>English<option value=ar lang=ar>العربية</select></body></html>"""


def test_text_is_what_a_reader_sees():
    assert page_text(PAGE) == "A bold link One Two three R1 R2 English العربية"  # no head, no script
    assert select_one(PAGE, "title").text == "Home"


def test_selectors_tolerate_layout_and_unclosed_elements():
    assert texts(PAGE, "nav > a.y[href='/a']") == ["A bold link"]
    assert texts(PAGE, "body > p") == ["One", "Two three"]
    assert [li.get("data-id") for li in select(PAGE, "ul li")] == ["1", "2"]
    assert texts(PAGE, "option[selected]") == ["English"]
    assert texts(PAGE, "option[value=ar][lang=ar], a") == ["A bold link", "العربية"]
