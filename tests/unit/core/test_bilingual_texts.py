"""Every text the server writes for a person exists in Swedish and in English.

Texts are made in many shapes: ``Text(sv=..., en=...)``, a rule's ``Violation(..., message_en, message_sv)``,
a payslip line's ``name_sv``/``name_en``, a table of Swedish words beside its English one, a
``... if language == "en" else ...``. This test reads the server's source (backend, notifications,
ocr) and finds every string that reads as Swedish. Each must sit in a Swedish slot that has its
English partner beside it:

- a ``sv=`` / ``*_sv=`` argument (or ``title=`` beside ``title_en=``), or a positional argument whose parameter is named so, with the
  ``en`` / ``*_en`` argument given in the same call;
- a name, attribute or dict key ``*_sv`` assigned beside its ``*_en`` (same function, class or dict);
- a table whose name says Swedish (``_SV_DAYS``, ``SWEDISH_STATUS``) beside its English one;
- a branch of a choice on the reader's language;
- the first of a ``(Swedish, English)`` pair.

A string elsewhere fails the test, unless its file is listed below with the reason its words are
not for a reader to choose (demo data, the Swedish export formats).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from backend.domain.text import Text

pytestmark = pytest.mark.clockless

ROOT = Path(__file__).resolve().parents[3]
SOURCES = ("backend", "notifications", "ocr")
NAMES = re.compile(r"Självservice|Försäkringskassan|Skatteverket|\böre\b|^.$")
"""Names that read the same in English (and single letters, as in a sort key)."""
SWEDISH = re.compile(
    r"[åäöÅÄÖ]|\b(och|för|inte|eller|finns|måste|saknas|dagar|lön|är|att|kan|ska|har|med|till|från|"
    r"vecka|resa|utlägg|posten|perioden|anställd|timmar|belopp|datum)\b",
    re.IGNORECASE,
)

NOT_FOR_A_READER = {
    "backend/demo": "demo data: the made-up people, merchants and weeks of the demo organisation",
    "backend/db/migrations": "migrations rewrite stored texts in both languages, read once",
    "backend/domain/exports": "PAXml and SIE carry Swedish texts by their specifications (account and row names)",
    "backend/exports/sie.py": "the SIE file's Swedish headers, by the format",
    "backend/exports/headers.py": "the PAXml header's batch description, Swedish by the payroll system's convention",
    "backend/cli/": "the command line writes both languages in one line ('Lösenordet är bytt / The password is set')",
    "ocr/": "words to find on Swedish receipts (the reader's input, not text for a person)",
}


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    text: str
    why: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text!r} ({self.why})"


def _partner(name: str) -> str | None:
    """The English name beside a Swedish one: ``sv`` → ``en``, ``name_sv`` → ``name_en``, ``_SV_DAYS`` → ``_EN_DAYS``."""
    for swedish, english in (("sv", "en"), ("SV", "EN"), ("swedish", "english"), ("SWEDISH", "ENGLISH")):
        replaced = re.sub(rf"(^|_){swedish}(_|$)", rf"\g<1>{english}\g<2>", name)
        if replaced != name:
            return replaced
    return None


def _is_language_test(node: ast.expr) -> bool:
    """``language == "en"``, ``lang != "sv"``, ``locale == "en"`` and the like."""
    if not isinstance(node, ast.Compare) or len(node.comparators) != 1:
        return False
    sides = [node.left, node.comparators[0]]
    return any(isinstance(s, ast.Constant) and s.value in ("en", "sv") for s in sides) and any(
        re.search(r"lang|locale", ast.unparse(s)) for s in sides if not isinstance(s, ast.Constant)
    )


class _Parameters:
    """Parameter names of every function and dataclass in the sources, by the name they are called by."""

    def __init__(self, trees: list[ast.Module]) -> None:
        self.by_name: dict[str, list[list[str]]] = {}
        self.bases: dict[str, list[str]] = {}
        for tree in trees:
            for node in ast.walk(tree):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    names = [a.arg for a in node.args.posonlyargs + node.args.args]
                    if names and names[0] in ("self", "cls"):
                        names = names[1:]
                    self.by_name.setdefault(node.name, []).append(names + [a.arg for a in node.args.kwonlyargs])
                elif isinstance(node, ast.ClassDef):
                    init = next((b for b in node.body if isinstance(b, ast.FunctionDef) and b.name == "__init__"), None)
                    fields = [
                        b.target.id
                        for b in node.body
                        if isinstance(b, ast.AnnAssign) and isinstance(b.target, ast.Name)
                    ]
                    if init is None and not fields:  # takes its base class's arguments (an exception)
                        self.bases[node.name] = [ast.unparse(b).split(".")[-1] for b in node.bases]
                    elif init is None:  # a dataclass: its annotated fields, in order
                        self.by_name.setdefault(node.name, []).append(fields)
                    else:
                        names = [a.arg for a in init.args.args[1:] + init.args.kwonlyargs]
                        self.by_name.setdefault(node.name, []).append(names)

    def _signatures(self, function: str) -> list[list[str]]:
        if function in self.by_name:
            return self.by_name[function]
        return [names for base in self.bases.get(function, []) for names in self._signatures(base)]

    def at(self, function: str, index: int) -> set[str]:
        return {names[index] for names in self._signatures(function) if index < len(names)}

    def index_of(self, function: str, name: str) -> set[int]:
        return {names.index(name) for names in self._signatures(function) if name in names}


def _called(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _assigned_names(scope: ast.AST) -> set[str]:
    """Names, attributes and keyword arguments given a value anywhere in ``scope``."""
    found: set[str] = set()
    for node in ast.walk(scope):
        if isinstance(node, ast.Name | ast.arg):
            found.add(node.id if isinstance(node, ast.Name) else node.arg)
        elif isinstance(node, ast.Attribute):
            found.add(node.attr)
        elif isinstance(node, ast.keyword) and node.arg:
            found.add(node.arg)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.add(node.value)
    return found


def _defined(scope: ast.AST) -> set[str]:
    return {n.name for n in ast.walk(scope) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}


class _Checker:
    def __init__(self, parameters: _Parameters) -> None:
        self.parameters = parameters

    def findings(self, path: str, tree: ast.Module) -> Iterator[Finding]:
        parents: dict[ast.AST, ast.AST] = {}
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                parents[child] = node
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and SWEDISH.search(NAMES.sub("", node.value))
            ):
                continue
            if isinstance(parents.get(node), ast.Expr):
                continue  # a docstring
            why = self._unpaired(node, parents)
            if why is not None:
                yield Finding(path, node.lineno, node.value, why)

    def _scope(self, node: ast.AST, parents: dict[ast.AST, ast.AST]) -> ast.AST:
        while node in parents and not isinstance(
            node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Module
        ):
            node = parents[node]
        return node

    def _unpaired(self, literal: ast.Constant, parents: dict[ast.AST, ast.AST]) -> str | None:
        """None when the literal has its English partner, else what is missing."""
        node: ast.AST = literal
        while (parent := parents.get(node)) is not None:
            if isinstance(parent, ast.IfExp) and _is_language_test(parent.test):
                return None
            if isinstance(parent, ast.If) and _is_language_test(parent.test):
                return None
            if isinstance(parent, ast.Tuple) and len(parent.elts) == 2:
                return None  # a (Swedish, English) pair, or the English of one
            if isinstance(parent, ast.keyword) and re.search(r"(^|_)en$", parent.arg or ""):
                return None  # English (naming Försäkringskassan or öre, say)
            if isinstance(parent, ast.keyword):
                return self._keyword(parent, parents)
            if isinstance(parent, ast.Call) and _called(parent) in ("join", "format"):
                node = parent  # still building the same text
                continue
            if isinstance(parent, ast.Call) and _called(parent) in ("append", "extend", "insert"):
                assert isinstance(parent.func, ast.Attribute)
                return self._assigned([parent.func.value], node, parent, parents)  # added to a list of Swedish
            if isinstance(parent, ast.Call) and node in parent.args:
                return self._positional(parent, parent.args.index(node))
            if isinstance(parent, ast.Assign | ast.AnnAssign | ast.AugAssign):
                targets: list[ast.expr] = list(parent.targets) if isinstance(parent, ast.Assign) else [parent.target]
                return self._assigned(targets, node, parent, parents)
            if isinstance(parent, ast.Dict):
                return self._dict_value(parent, node, parents)
            if isinstance(parent, ast.FunctionDef | ast.AsyncFunctionDef) and (english := _partner(parent.name)):
                module = self._scope(parents.get(parent, parent), parents)
                return None if english in _defined(module) else f"{parent.name}() without {english}()"
            if isinstance(parent, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Module):
                return "returned or used without an English partner"
            node = parent
        return "not in a Swedish slot"

    def _keyword(self, keyword: ast.keyword, parents: dict[ast.AST, ast.AST]) -> str | None:
        call = parents[keyword]
        assert isinstance(call, ast.Call)
        given = {k.arg for k in call.keywords}
        if f"{keyword.arg}_en" in given:
            return None  # a column in Swedish beside its English one (title, title_en)
        english = _partner(keyword.arg or "")
        if english is None:
            return f"passed as {keyword.arg}="
        positions = self.parameters.index_of(_called(call), english)
        if english in given or any(p < len(call.args) for p in positions):
            return None
        return f"{keyword.arg}= without {english}="

    def _positional(self, call: ast.Call, index: int) -> str | None:
        function = _called(call)
        names = self.parameters.at(function, index)
        swedish = {n for n in names if _partner(n) is not None}
        if not swedish:
            return f"argument {index} of {function}() is not a Swedish parameter ({sorted(names) or 'unknown'})"
        given = {k.arg for k in call.keywords}
        for name in swedish:
            english = _partner(name)
            assert english is not None
            positions = self.parameters.index_of(function, english)
            if english in given or any(p < len(call.args) for p in positions):
                return None
        return f"argument {index} of {function}() without its English partner"

    def _assigned(
        self, targets: list[ast.expr], value: ast.AST, statement: ast.AST, parents: dict[ast.AST, ast.AST]
    ) -> str | None:
        names: list[str] = []
        for target in targets:
            if isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple):
                target = target.elts[value.elts.index(next(iter(value.elts)))]
            if isinstance(target, ast.Tuple):
                names += [ast.unparse(e).split(".")[-1] for e in target.elts]
            else:
                names.append(ast.unparse(target).split(".")[-1].split("[")[0])
        scope = self._scope(statement, parents)
        known = _assigned_names(scope) | _assigned_names(self._scope(scope, parents))
        for name in names:
            english = _partner(name)
            if english is not None and english in known:
                return None
        return f"assigned to {', '.join(names)} without an English partner"

    def _dict_value(self, table: ast.Dict, value: ast.AST, parents: dict[ast.AST, ast.AST]) -> str | None:
        while value in table.values:  # in a dict under "sv" (or "name_sv"), beside "en", however deep
            key = table.keys[table.values.index(value)]
            if isinstance(key, ast.Constant) and isinstance(key.value, str) and (english := _partner(key.value)):
                keys = {k.value for k in table.keys if isinstance(k, ast.Constant)}
                return None if english in keys else f"key {key.value!r} without {english!r}"
            if isinstance(key, ast.Constant) and key.value in ("en", "english"):
                return None
            outer = parents.get(table)
            if not isinstance(outer, ast.Dict):
                break
            table, value = outer, table
        # a table of Swedish words: its name must say so, beside the English table
        holder = parents.get(table)
        while holder is not None and not isinstance(holder, ast.Assign | ast.AnnAssign):
            holder = parents.get(holder)
        if holder is None:
            return "a table value without an English partner"
        targets: list[ast.expr] = list(holder.targets) if isinstance(holder, ast.Assign) else [holder.target]
        return self._assigned(targets, table, holder, parents)


def _sources() -> list[tuple[str, ast.Module]]:
    found = []
    for source in SOURCES:
        for path in sorted((ROOT / source).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            found.append((relative, ast.parse(path.read_text(encoding="utf-8"))))
    return found


def _exempt(path: str) -> bool:
    return any(path.startswith(prefix) for prefix in NOT_FOR_A_READER)


def swedish_without_english(sources: list[tuple[str, ast.Module]]) -> list[Finding]:
    checker = _Checker(_Parameters([tree for _, tree in sources]))
    return [f for path, tree in sources if not _exempt(path) for f in checker.findings(path, tree)]


def test_every_swedish_text_of_the_server_has_its_english() -> None:
    findings = swedish_without_english(_sources())
    assert not findings, "Swedish without English:\n" + "\n".join(map(str, findings))


def test_the_check_finds_a_swedish_text_without_english() -> None:
    source = ast.parse(
        "def notice(language: str) -> str:\n"
        "    title = Text(sv='Lönen är klar', en='The pay is ready')\n"
        "    hint = 'Posten måste attesteras'\n"
        "    return title(language) + hint\n"
    )
    [finding] = swedish_without_english([("backend/example.py", source)])
    assert finding.text == "Posten måste attesteras"


def test_a_text_is_refused_without_both_languages() -> None:
    assert Text(sv="Klar", en="Done")("en") == "Done"
    with pytest.raises(ValueError, match="both Swedish and English"):
        Text(sv="Klar", en=" ")
