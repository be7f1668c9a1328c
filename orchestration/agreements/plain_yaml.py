"""YAML as the configuration files use it: plain data, no anchors and no aliases.

An alias repeats a node without repeating its text, so a few lines of nested aliases
(an "alias bomb") stand for billions of values and take every step that reads the
file down with a MemoryError. The two configuration files have no use for them: a
signed page is easier to read with every value written out.
"""

from __future__ import annotations

from typing import Any

import yaml


class AliasesNotAllowed(yaml.MarkedYAMLError):
    """The document uses an anchor (&name) or an alias (*name)."""


class _PlainLoader(yaml.SafeLoader):
    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise AliasesNotAllowed(
                problem="anchors and aliases (&name, *name) are not allowed here; "
                "write each value out",
                problem_mark=event.start_mark,
            )
        return super().compose_node(parent, index)


def load_plain_yaml(text: str) -> Any:
    """The document in `text` as Python data; raises yaml.YAMLError (with a mark)."""
    return yaml.load(text, Loader=_PlainLoader)
