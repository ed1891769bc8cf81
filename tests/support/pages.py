"""Read a page as a user sees it: its visible text and the elements a CSS selector picks.

Assertions on markup go through these, not through substrings or regexes of the HTML source, so a
template may be re-indented, its attributes reordered or its elements wrapped without breaking a test
that was about what the page shows. Built on the standard library's html.parser (no dependency).

Selectors: a tag, `.class`, `#id`, `[attr]`, `[attr=value]` (quoted or not), combined (`a.button[href]`)
and joined by spaces (descendants) or `>` (children); several selectors separated by commas.
"""

import re
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
UNSEEN = {"script", "style", "template", "head", "title"}
BLOCK = {
    "p", "div", "li", "ul", "ol", "tr", "td", "th", "table", "section", "article", "header", "footer", "nav",
    "main", "aside", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "dl", "form", "fieldset", "legend",
    "label", "option", "select", "textarea", "blockquote", "pre", "figure", "figcaption", "br", "hr",
    "summary", "details", "button",
}  # fmt: skip
SIBLINGS = {"li": {"li"}, "dt": {"dt", "dd"}, "dd": {"dt", "dd"}, "option": {"option"}, "tr": {"tr"},
            "td": {"td", "th"}, "th": {"td", "th"}}  # fmt: skip


class Element:
    def __init__(self, tag: str, attrs: dict, parent=None):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list = []  # Elements and strings, in document order

    def get(self, name: str, default=None):
        return self.attrs.get(name, default)

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    @property
    def text(self) -> str:
        """The element's visible text, whitespace collapsed as a browser shows it (asked of a <title> or
        <script> itself, its own text; inside others they count as unseen)."""
        return _collapse(self._inner_text())

    def _inner_text(self) -> str:
        return "".join(child if isinstance(child, str) else child._outer_text() for child in self.children)

    def _outer_text(self) -> str:
        if self.tag in UNSEEN:
            return ""
        return f" {self._inner_text()} " if self.tag in BLOCK else self._inner_text()

    def descendants(self):
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.descendants()

    def select(self, css: str) -> list["Element"]:
        """Elements under this one matching `css`, in document order, each once."""
        chosen = {id(e) for selector in css.split(",") for e in _select(self, selector.strip())}
        return [element for element in self.descendants() if id(element) in chosen]

    def select_one(self, css: str) -> "Element | None":
        found = self.select(css)
        return found[0] if found else None

    def __repr__(self) -> str:
        return f"<{self.tag} {self.attrs}>"


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Element("#document", {})

    def handle_starttag(self, tag, attrs):
        self._close_implied(tag)
        element = Element(
            tag, {name: value if value is not None else "" for name, value in attrs}, self.current
        )
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def _close_implied(self, tag):
        """As browsers do: a new <li> ends the open one, a block ends an open <p>, and so on."""
        closes = SIBLINGS.get(tag, ())
        if self.current.tag in closes or (
            self.current.tag == "p" and tag in BLOCK - {"br", "button", "label"}
        ):
            self.current = self.current.parent

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.current = self.current.parent

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:  # close elements left open (<p>, <li>)
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html: str) -> Element:
    """The page as a tree of Elements (the root is a document node)."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def page_text(html: str) -> str:
    """What a reader sees of the page (or fragment): its text, whitespace collapsed, scripts left out."""
    return parse(html).text


def select(html: str, css: str) -> list[Element]:
    """The elements of the page that `css` picks."""
    return parse(html).select(css)


def select_one(html: str, css: str) -> Element | None:
    return parse(html).select_one(css)


def texts(html: str, css: str) -> list[str]:
    """The visible text of each element `css` picks."""
    return [element.text for element in select(html, css)]


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


_STEP = re.compile(r"\s*(>)?\s*([^\s>]+)")
_PART = re.compile(r"""([.#]?)([\w-]+)|\[([\w-]+)(?:([~^$*]?=)["']?([^"'\]]*)["']?)?\]""")


def _select(root: Element, selector: str) -> list[Element]:
    steps = [(combinator == ">", _compound(part)) for combinator, part in _STEP.findall(selector)]
    found = [root]
    for child_only, test in steps:
        pool = (c for e in found for c in e.children if isinstance(c, Element)) if child_only else None
        candidates = list(pool) if child_only else [d for e in found for d in e.descendants()]
        found = list({id(e): e for e in candidates if test(e)}.values())
    return found


def _compound(text: str):
    tests = []
    for prefix, name, attr, operator, value in _PART.findall(text):
        if attr:
            tests.append(_attribute_test(attr, operator, value))
        elif prefix == ".":
            tests.append(lambda e, name=name: name in e.classes)
        elif prefix == "#":
            tests.append(lambda e, name=name: e.get("id") == name)
        elif name != "*":
            tests.append(lambda e, name=name: e.tag == name)
    return lambda element: all(test(element) for test in tests)


def _attribute_test(attr: str, operator: str, value: str):
    checks = {
        "": lambda actual: actual is not None,
        "=": lambda actual: actual == value,
        "~=": lambda actual: value in (actual or "").split(),
        "^=": lambda actual: (actual or "").startswith(value),
        "$=": lambda actual: (actual or "").endswith(value),
        "*=": lambda actual: value in (actual or ""),
    }
    check = checks[operator]
    return lambda element: check(element.get(attr))


# The search page ------------------------------------------------------------------------------------


def result_keys(html: str) -> list[tuple[str, int]]:
    """The (type, id) of each hit on a search results page, in the order shown."""
    return [(hit.get("data-type"), int(hit.get("data-id"))) for hit in select(html, ".search-result")]


def search(client, query: str, **params) -> tuple[list[tuple[str, int]], str]:
    """Search as a reader does; the hits' keys and the page."""
    response = client.get("/search", query_string={"q": query, **params})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    return result_keys(html), html
