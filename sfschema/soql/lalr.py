"""A lean driver for lark's LALR(1) tables: the fast path of ``parser.parse``.

lark analyses the grammar, builds the parse table, the per-state (contextual) terminal sets and
the tree-building callbacks; this module only runs them with less per-token bookkeeping than
lark's general-purpose loop (no line/column counting, one regex match per token with the
ignored whitespace and comments folded into it, one-child ``?rule`` reductions taken ahead in
the goto table, and ``item ("," item)*`` lists grown in place instead of copied per item).

It accepts exactly what lark accepts: per parser state, the scanner tries the same terminals in
the same order lark's contextual lexer does. Whenever it cannot go on (a character no terminal
matches, a token the table has no action for), it returns ``None`` and the caller re-parses with
lark itself, which raises its detailed error. ``tests/soql`` checks both paths agree.
"""

from __future__ import annotations

import re
from typing import Any

from lark import Lark, Token
from lark.grammar import NonTerminal
from lark.parsers.lalr_analysis import Shift

_END = "$END"
_SHIFT, _PASS, _REDUCE = 0, 1, 2


class _Token(Token):
    """A lark Token made without lark's keyword-argument handling (same slots, same type)."""

    __slots__ = ()

    def __new__(cls, kind: str, value: str, start_pos: int) -> _Token:
        inst = str.__new__(cls, value)
        inst.type, inst.value, inst.start_pos = kind, value, start_pos
        return inst  # line/column/end_* stay unset: nothing on this path reads them


_END_GROUP = "_sfschema_end"


def action_is_rule(arg: Any) -> bool:
    return not isinstance(arg, int) and hasattr(arg, "expansion")


def _identity(children: list[Any]) -> list[Any]:
    return children


def _finish(pick: Any, internal: bool, expand1: bool, build: Any) -> Any:
    if pick is None:  # expand1 with every child kept

        def single_or_build(children: list[Any]) -> Any:
            return children[0] if len(children) == 1 else build(children)

        return single_or_build
    if internal:
        return pick
    if expand1:

        def pick_single_or_build(children: list[Any]) -> Any:
            kept = pick(children)
            return kept[0] if len(kept) == 1 else build(kept)

        return pick_single_or_build

    def pick_build(children: list[Any]) -> Any:
        return build(pick(children))

    return pick_build


def _tree_needed(name: str) -> Any:
    def fail(children: list[Any]) -> Any:
        raise AssertionError(f"rule {name!r} reduced to {len(children)} children; no method")

    return fail


class FastLalr:
    def __init__(
        self,
        lark: Lark,
        transformer: Any,
        errors: tuple[type[Exception], ...] = (),
        locate: Any = None,
    ) -> None:
        """``locate(exc, children)`` turns an ``errors`` exception raised by a transformer
        method into the exception to raise (e.g. one that knows the children's position)."""
        frontend: Any = lark.parser
        lalr: Any = frontend.parser
        table = lalr._parse_table
        self.start_state = table.start_states["start"]
        self.end_state = table.end_states["start"]
        self.transformer = transformer
        self.errors, self.locate = errors, locate
        rules = {arg for actions in table.states.values() for action, arg in actions.values()}
        # Terminals that some rule keeps as a child; the others are never looked at.
        self.kept = frozenset(
            str(symbol.name)
            for rule in rules
            if action_is_rule(rule)
            for symbol in rule.expansion
            if symbol.is_term and not symbol.filter_out
        )
        # (_SHIFT, next state, …), (_PASS, 1, goto symbol, None) for a one-child `?rule`,
        # (_REDUCE, size, goto symbol, callback). Keys become plain str: lark's are Token
        # objects, whose == is slow.
        self.table: dict[Any, dict[str, tuple[int, Any, Any, Any]]] = {
            state: {
                str(symbol): (_SHIFT, arg, None, None) if action is Shift else self._reduction(arg)
                for symbol, (action, arg) in actions.items()
            }
            for state, actions in table.states.items()
        }
        self.nonterminals = frozenset(str(rule.origin.name) for rule in lark.rules)
        self.gotos = self._gotos()
        contextual: Any = frontend.lexer
        ignore = set(lark.lexer_conf.ignore)
        ignore_regex = "|".join(
            t.pattern.to_regexp() for t in lark.lexer_conf.terminals if t.name in ignore
        )
        skip = f"(?:{ignore_regex})*+"
        self.scanners: dict[Any, re.Pattern[str]] = {}
        by_terminals: dict[tuple[str, ...], re.Pattern[str]] = {}
        for state, basic in contextual.lexers.items():
            scanner = basic.scanner  # lark's own per-state terminal order and unless-callbacks
            if basic.callback:
                raise RuntimeError("FastLalr does not support lexer callbacks")
            terminals = [t for t in scanner.terminals if t.name not in ignore]
            key = tuple(t.name for t in terminals)
            pattern = by_terminals.get(key)
            if pattern is None:
                groups = "|".join(f"(?P<{t.name}>{t.pattern.to_regexp()})" for t in terminals)
                pattern = re.compile(f"{skip}(?:{groups}|(?P<{_END_GROUP}>\\Z))")
                by_terminals[key] = pattern
            self.scanners[state] = pattern

    def _reduction(self, rule: Any) -> tuple[int, int, str, Any]:
        size = len(rule.expansion)
        goto = str(rule.origin.name)
        # A `?rule` alternative that is one rule keeps that rule's value: lark's callback would
        # return its only child, so skip the call.
        if (
            rule.options.expand1
            and rule.alias is None
            and size == 1
            and isinstance(rule.expansion[0], NonTerminal)
        ):
            return _PASS, 1, goto, None
        return _REDUCE, size, goto, self._callback(rule)

    def _callback(self, rule: Any) -> Any:
        """The value of a reduction, shaped as lark's tree builder shapes it.

        Children are filtered (anonymous and ``_``-named tokens dropped), ``[optional]`` parts
        that are absent become None (``maybe_placeholders``), ``_rule`` children are spliced
        in, and a ``?rule`` with one child returns it. Internal ``_rule`` values are plain lists
        here (lark makes Tree objects only to splice them into the parent).
        """
        expansion = rule.expansion
        flags = rule.options.empty_indices
        nones = (
            [len(run) for run in "".join(str(int(b)) for b in flags).split("0")]
            if flags
            else [0] * (len(expansion) + 1)
        )
        include: list[tuple[int, bool, int]] = []
        pending = 0
        for index, symbol in enumerate(expansion):
            pending += nones[index]
            if not (symbol.is_term and symbol.filter_out):
                splice = not symbol.is_term and symbol.name.startswith("_")
                include.append((index, splice, pending))
                pending = 0
        trailing = pending + nones[len(expansion)]
        name = rule.alias or rule.options.template_source or rule.origin.name
        internal = rule.alias is None and rule.origin.name.startswith("_")
        expand1 = bool(rule.options.expand1 and not rule.alias)
        build = getattr(self.transformer, name, None)
        if build is None and not internal:
            if not expand1:
                raise RuntimeError(f"the transformer has no method for rule {name!r}")
            build = _tree_needed(name)
        simple = [index for index, splice, before in include if not splice and not before]
        head, *rest = include or [(0, False, 0)]
        if head[1] and not head[2] and not trailing and all(not s and not b for _, s, b in rest):
            # A left-recursive list rule (``item ("," item)*`` becomes ``_star: _star "," item``):
            # the spliced child is the list an internal rule built, referenced nowhere else
            # (every stack value is consumed once), so it grows in place: linear, not quadratic.
            first, later = head[0], [index for index, _, _ in rest]

            def extend_first(children: list[Any]) -> list[Any]:
                kept: list[Any] = children[first]
                for index in later:
                    kept.append(children[index])
                return kept

            return _finish(extend_first, internal, expand1, build)
        if len(simple) < len(include) or trailing:

            def pick(children: list[Any]) -> list[Any]:
                kept: list[Any] = []
                for index, splice, before in include:
                    if before:
                        kept += [None] * before
                    if splice:
                        kept += children[index]
                    else:
                        kept.append(children[index])
                if trailing:
                    kept += [None] * trailing
                return kept

            return _finish(pick, internal, expand1, build)
        if simple == list(range(len(expansion))):  # every child kept as it is
            if internal:
                return _identity
            if not expand1:
                return build
            return _finish(None, internal, expand1, build)

        if not internal and not expand1:  # the common case: one call, not two
            assert build is not None  # a rule that is not internal has a method (checked above)

            def build_some(children: list[Any]) -> Any:
                return build([children[index] for index in simple])

            return build_some

        def pick_some(children: list[Any]) -> list[Any]:
            return [children[index] for index in simple]

        return _finish(pick_some, internal, expand1, build)

    def _gotos(self) -> dict[Any, dict[str, tuple[Any, dict[str, Any] | None]]]:
        """Per state, per nonterminal: the state to go to, with one-child ``?rule`` reductions
        that would follow it (PASS steps, which depend only on the lookahead) already taken.

        A PASS step pops one state and goes to ``goto(below, B)``; ``below`` is the state the
        first goto started from, so the whole chain is known per (below, nonterminal, lookahead).
        """
        table = self.table
        gotos: dict[Any, dict[str, tuple[Any, dict[str, Any] | None]]] = {}
        for below, actions in table.items():
            entries: dict[str, tuple[Any, dict[str, Any] | None]] = {}
            for symbol, (action, target, _goto, _callback) in actions.items():
                if action != _SHIFT or symbol not in self.nonterminals:
                    continue  # a terminal's action, not a goto
                after: dict[str, Any] = {}
                for kind in table[target]:
                    state = target
                    step = table[state].get(kind)
                    while step is not None and step[0] == _PASS:
                        state = table[below][step[2]][1]
                        step = table[state].get(kind)
                    if state != target:
                        after[kind] = state
                entries[symbol] = (target, after or None)
            gotos[below] = entries
        # The parse loop meets PASS steps only after a goto (above, all taken) or after a shift:
        # a state reached by shifting a terminal has only items ending in that terminal, so no
        # one-nonterminal reduction. Checked here once, so the loop need not handle them.
        shifted = {
            target
            for acts in table.values()
            for sym, (a, target, _, _) in acts.items()
            if a == _SHIFT and sym not in self.nonterminals
        } | {self.start_state}
        if any(step[0] == _PASS for state in shifted for step in table[state].values()):
            raise RuntimeError("FastLalr: a PASS step after a shift; the grammar needs lark")
        for entries in gotos.values():
            for target, ahead in entries.values():
                for kind in table[target]:
                    state = target if ahead is None else ahead.get(kind, target)
                    if table[state].get(kind, (None,))[0] == _PASS:
                        raise RuntimeError("FastLalr: a PASS step left after a goto")
        return gotos

    def parse(self, text: str) -> Any:
        """The callbacks' result for ``text``, or ``None`` when lark should report an error."""
        table, gotos, scanners, kept = self.table, self.gotos, self.scanners, self.kept
        errors, end_state = self.errors, self.end_state
        new_token = str.__new__
        state = self.start_state
        states = [state]
        values: list[Any] = []
        pos = 0
        while True:
            match = scanners[state].match(text, pos)
            if match is None:
                return None
            kind = match.lastgroup
            assert kind is not None
            is_end = kind == _END_GROUP
            if is_end:
                kind, token = _END, None
            elif kind in kept:
                start, pos = match.span(kind)
                value = text[start:pos]
                token = new_token(_Token, value)
                token.type, token.value, token.start_pos = kind, value, start
            else:
                pos, token = match.end(), None
            while True:
                step = table[state].get(kind)
                if step is None:
                    return None
                action, arg, goto, callback = step
                if action == _SHIFT:
                    state = arg
                    states.append(state)
                    values.append(token)
                    break
                # A reduction (PASS steps never come up here: _gotos took them all ahead).
                if arg:
                    children = values[-arg:]
                    del states[-arg:]
                    del values[-arg:]
                else:
                    children = []
                try:
                    values.append(callback(children))
                except errors as exc:
                    raise self.locate(exc, children) from None
                state, after = gotos[states[-1]][goto]
                if after is not None:
                    state = after.get(kind, state)
                states.append(state)
                if is_end and state == end_state:
                    return values[-1]
