"""What Telegram accepts: parameters checked against the Bot API spec, HTML parse mode, and limits.

Used by the fake Bot API server. The spec is ../shared/telegram-bot-api-spec.json beside the
checkout; without it, `Spec` is None and only the limits and the HTML parser apply.
Every check raises Rejected with the description Telegram would send.
"""

from __future__ import annotations

import json
import re
import struct
import zlib
from pathlib import Path
from typing import Any

SPEC_PATH = Path(__file__).resolve().parents[1].parent / "shared" / "telegram-bot-api-spec.json"

MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64
MAX_RESULT_ID = 64
MAX_INLINE_RESULTS = 50
MAX_CALLBACK_ANSWER = 200
MAX_CAPTION = 1024
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PHOTO_SIDES = 10_000  # width + height
MAX_PHOTO_RATIO = 20
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
HTML_TAGS = frozenset("b strong i em u ins s strike del span tg-spoiler a tg-emoji code pre blockquote tg-time".split())
ENTITY_RE = re.compile(r"&(?:#(\d+)|#x([0-9a-fA-F]+)|(lt|gt|amp|quot));")
NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
SPECIAL_RE = re.compile(r"[<>&]")
START_TAG_RE = re.compile(r"([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-z-]+(?:=\"[^\"<]*\"|='[^'<]*')?)*)\s*")
BUTTON_ACTIONS = (
    "url callback_data web_app login_url switch_inline_query switch_inline_query_current_chat "
    "switch_inline_query_chosen_chat copy_text callback_game pay"
).split()
COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
START_PARAMETER_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class Rejected(Exception):
    """A call Telegram would refuse: `description` is its 'Bad Request: ...' text."""

    def __init__(self, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.description = description
        self.status = status


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


# -- the spec ----------------------------------------------------------------------------------


class Spec:
    """The Bot API methods and types, for checking parameters and objects."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.version = data.get("version", "?")
        self.methods = {name.lower(): m for name, m in data["methods"].items()}
        self.types = data["types"]
        # each method's and type's fields by name, built once rather than on every call checked
        self.method_fields = {name: _by_name(m) for name, m in self.methods.items()}
        self._type_fields = {name: _by_name(t) for name, t in self.types.items()}
        self._discriminators = {name: self._discriminator(name) for name in self.types}

    @classmethod
    def load(cls, path: Path = SPEC_PATH) -> Spec | None:
        return cls(json.loads(path.read_text(encoding="utf-8"))) if path.is_file() else None

    def method(self, name: str) -> dict[str, Any] | None:
        return self.methods.get(name.lower())

    def check_params(self, method: dict[str, Any], params: dict[str, Any], form: bool) -> dict[str, Any]:
        """Decodes every parameter by its spec type; rejects missing, unknown and mistyped ones."""
        fields = self.method_fields[method["name"].lower()]
        for name in params:
            if name not in fields:
                raise Rejected(f'Bad Request: unknown parameter "{name}" for {method["name"]}')
        decoded = {}
        for name, field in fields.items():
            if name not in params:
                if field["required"]:
                    raise Rejected(f'Bad Request: parameter "{name}" is required')
                continue
            decoded[name] = self.value(params[name], field["types"], name, form)
        return decoded

    def value(self, raw: Any, types: list[str], where: str, form: bool = False) -> Any:
        """The value decoded as the first of `types` it fits; form values arrive as strings."""
        errors = []
        for kind in types:
            try:
                return self._decode(raw, kind, where, form)
            except Rejected as exc:
                errors.append(exc.description)
        raise Rejected(errors[0] if len(errors) == 1 else f"Bad Request: {where}: expected {' or '.join(types)}")

    def _decode(self, raw: Any, kind: str, where: str, form: bool) -> Any:
        if kind == "InputFile":  # a file can only arrive as a part of a multipart/form-data upload
            if form and isinstance(raw, bytes):
                return raw
            raise Rejected(f"Bad Request: {where}: a file must be uploaded as multipart/form-data")
        if kind in ("Integer", "Float", "String", "Boolean"):
            return _primitive(raw, kind, where, form)
        if form:
            if not isinstance(raw, str):
                raise Rejected(f"Bad Request: {where}: expected JSON-serialized {kind}")
            try:
                raw = json.loads(raw)
            except ValueError:
                raise Rejected(f"Bad Request: can't parse {kind} JSON object in {where}") from None
        if kind.startswith("Array of "):
            if not isinstance(raw, list):
                raise Rejected(f"Bad Request: {where}: expected an Array")
            return [self._decode(item, kind[9:], f"{where}[{i}]", False) for i, item in enumerate(raw)]
        return self.check_object(kind, raw, where)

    def check_object(self, kind: str, value: Any, where: str) -> dict[str, Any]:
        """Checks an object against its type, choosing a subtype by its 'type' field or by fit."""
        spec = self.types.get(kind)
        if spec is None:
            raise Rejected(f"Bad Request: {where}: unknown type {kind}")
        if not isinstance(value, dict):
            raise Rejected(f"Bad Request: {where}: expected a {kind} object")
        subtypes = spec.get("subtypes")
        if subtypes:
            chosen = [s for s in subtypes if self._discriminators.get(s) == value.get("type")]
            errors = []
            for subtype in chosen or subtypes:
                try:
                    return self.check_object(subtype, value, where)
                except Rejected as exc:
                    errors.append(exc.description)
            raise Rejected(errors[0] if chosen else f"Bad Request: {where}: does not fit any {kind}")
        fields = self._type_fields[kind]
        for name in value:
            if name not in fields:
                raise Rejected(f'Bad Request: {where}: unknown field "{name}" in {kind}')
        for name, field in fields.items():
            if name in value:
                self.value(value[name], field["types"], f"{where}.{name}")
            elif field["required"]:
                raise Rejected(f'Bad Request: {where}: field "{name}" of {kind} is required')
        expected = self._discriminators.get(kind)
        if expected is not None and value.get("type") != expected:
            raise Rejected(f'Bad Request: {where}: type must be "{expected}"')
        return value

    def _discriminator(self, name: str) -> str | None:
        for field in self.types[name].get("fields", []):
            if field["name"] == "type":
                match = re.search(r"must be[ “\"]*([a-z_]+)", field.get("description", ""))
                return match.group(1) if match else None
        return None


def _by_name(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in spec.get("fields", [])}


def _primitive(raw: Any, kind: str, where: str, form: bool) -> Any:
    if form and not isinstance(raw, str):
        raise Rejected(f"Bad Request: {where}: expected {kind}")
    if kind == "String":
        if form or isinstance(raw, str):
            return raw
    elif kind == "Boolean":
        if isinstance(raw, bool):
            return raw
        if form and raw in ("true", "false"):
            return raw == "true"
    elif kind == "Integer":
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        if form and re.fullmatch(r"-?\d{1,19}", raw):
            return int(raw)
    elif kind == "Float":
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            return raw
        if form and re.fullmatch(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", raw):
            return float(raw)
    raise Rejected(f"Bad Request: {where}: expected {kind}, got {raw!r}"[:300])


# -- formatting and limits -------------------------------------------------------------------


def parse_html(text: str) -> str:
    """The text Telegram shows for an HTML message; rejects what Telegram's parser would.

    Plain runs are copied whole; a byte offset (what Telegram's errors give) is worked out only for
    an error, since counting the bytes before every character made long replies slow to check.
    """
    out: list[str] = []
    stack: list[str] = []
    i = 0
    while (special := SPECIAL_RE.search(text, i)) is not None:
        start = special.start()
        out.append(text[i:start])
        ch = text[start]
        if ch == "<":
            end = text.find(">", start)
            if end < 0:
                raise _entities(f"Unclosed start tag at byte offset {_bytes_before(text, start)}")
            _tag(text, start, end, stack)
            i = end + 1
        elif ch == "&":
            match = ENTITY_RE.match(text, start)
            if not match:
                raise _entities(f"Unsupported HTML entity or unescaped '&' at byte offset {_bytes_before(text, start)}")
            dec, hexa, name = match.groups()
            out.append(NAMED[name] if name else chr(int(dec) if dec else int(hexa, 16)))
            i = match.end()
        else:
            raise _entities(f"Unescaped '>' at byte offset {_bytes_before(text, start)}")
    out.append(text[i:])
    if stack:
        raise _entities(f'Can\'t find end tag corresponding to start tag "{stack[-1]}"')
    return "".join(out)


def _bytes_before(text: str, index: int) -> int:
    return len(text[:index].encode())


def _tag(text: str, start: int, end: int, stack: list[str]) -> None:
    """Opens or closes the tag text[start:end + 1] ('<' to '>') on `stack`."""
    source = text[start + 1 : end]
    if source.startswith("/"):
        name = source[1:].strip().lower()
        if not stack:
            raise _entities(f"Unexpected end tag at byte offset {_bytes_before(text, start)}")
        if stack[-1] != name:
            raise _entities(
                f"Unmatched end tag at byte offset {_bytes_before(text, start)}, "
                f'expected "</{stack[-1]}>", found "</{name}>"'
            )
        stack.pop()
        return
    match = START_TAG_RE.fullmatch(source)
    name = match.group(1).lower() if match else source.split(" ")[0][:32]
    if not match or name not in HTML_TAGS:
        raise _entities(f'Unsupported start tag "{name}" at byte offset {_bytes_before(text, start)}')
    attributes = match.group(2)
    if name == "a" and "href=" not in attributes:
        raise _entities(f'Tag "a" must have attribute "href" at byte offset {_bytes_before(text, start)}')
    if name == "span" and "tg-spoiler" not in attributes:
        raise _entities(f'Tag "span" must have class "tg-spoiler" at byte offset {_bytes_before(text, start)}')
    if stack and stack[-1] in ("code", "pre") and not (name == "code" and stack[-1] == "pre"):
        raise _entities(f'Can\'t use tag "{name}" inside "{stack[-1]}" at byte offset {_bytes_before(text, start)}')
    stack.append(name)


def _entities(message: str) -> Rejected:
    return Rejected(f"Bad Request: can't parse entities: {message}")


def message_text(text: str, parse_mode: str | None) -> str:
    """The shown text of a message, checked: parseable, not empty, at most 4096 characters."""
    mode = (parse_mode or "").lower()
    if mode not in ("", "html", "markdown", "markdownv2"):
        raise Rejected("Bad Request: unsupported parse_mode")
    shown = parse_html(text) if mode == "html" else text
    if not shown.strip():
        raise Rejected("Bad Request: message text is empty")
    if utf16_len(shown) > MAX_TEXT:
        raise Rejected("Bad Request: message is too long")
    return shown


def check_markup(markup: Any) -> None:
    """Inline keyboards: every button has a label and exactly one action; callback data 1-64 bytes."""
    if not isinstance(markup, dict) or "inline_keyboard" not in markup:
        return
    for row in markup["inline_keyboard"]:
        for button in row:
            if not str(button.get("text", "")).strip():
                raise Rejected("Bad Request: BUTTON_TEXT_INVALID")
            actions = [a for a in BUTTON_ACTIONS if a in button]
            if len(actions) != 1:
                raise Rejected("Bad Request: BUTTON_TYPE_INVALID")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA:
                raise Rejected("Bad Request: BUTTON_DATA_INVALID")


def check_inline_results(results: list[dict[str, Any]], button: Any) -> None:
    """At most 50 results, unique ids of 1-64 bytes, each message valid; a valid start parameter."""
    if len(results) > MAX_INLINE_RESULTS:
        raise Rejected("Bad Request: RESULTS_TOO_MUCH")
    seen = set()
    for result in results:
        ident = str(result.get("id", ""))
        if not 1 <= len(ident.encode()) <= MAX_RESULT_ID:
            raise Rejected("Bad Request: RESULT_ID_INVALID")
        if ident in seen:
            raise Rejected("Bad Request: RESULT_ID_DUPLICATE")
        seen.add(ident)
        if result.get("type") == "article" and not str(result.get("title", "")).strip():
            raise Rejected("Bad Request: RESULT_TITLE_EMPTY")
        content = result.get("input_message_content") or {}
        if "message_text" in content:
            message_text(content["message_text"], content.get("parse_mode"))
        check_markup(result.get("reply_markup"))
    parameter = button.get("start_parameter") if isinstance(button, dict) else None
    if parameter is not None and not START_PARAMETER_RE.match(str(parameter)):
        raise Rejected("Bad Request: START_PARAM_INVALID")


def check_commands(commands: list[dict[str, Any]], language_code: str | None) -> None:
    """At most 100 commands, each /[a-z0-9_]{1,32} with a 1-256 character description."""
    if len(commands) > 100:
        raise Rejected("Bad Request: too many commands")
    for command in commands:
        if not COMMAND_RE.match(str(command.get("command", ""))):
            raise Rejected("Bad Request: BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description", "")).strip()) <= 256:
            raise Rejected("Bad Request: command description must be 1-256 characters")
    if language_code and not re.fullmatch(r"[a-z]{2}", language_code):
        raise Rejected("Bad Request: LANG_CODE_INVALID")


def caption_text(caption: str, parse_mode: str | None) -> str:
    """The shown text of a media caption, checked: parseable and at most 1024 characters (it may be empty)."""
    mode = (parse_mode or "").lower()
    if mode not in ("", "html", "markdown", "markdownv2"):
        raise Rejected("Bad Request: unsupported parse_mode")
    shown = parse_html(caption) if mode == "html" else caption
    if utf16_len(shown) > MAX_CAPTION:
        raise Rejected("Bad Request: message caption is too long")
    return shown


def photo_size(data: bytes) -> tuple[int, int]:
    """(width, height) of an uploaded photo, a whole PNG file (signature, IHDR, chunk CRCs, IEND)
    of at most 10 MB whose sides add up to at most 10,000 pixels in a ratio of at most 20."""
    if len(data) > MAX_PHOTO_BYTES:
        raise Rejected("Request Entity Too Large", 413)
    chunks = list(_png_chunks(data))
    if not chunks or chunks[0][0] != b"IHDR" or chunks[-1][0] != b"IEND" or len(chunks[0][1]) != 13:
        raise Rejected("Bad Request: IMAGE_PROCESS_FAILED")
    width, height = struct.unpack(">II", chunks[0][1][:8])
    if (
        not (width and height)
        or width + height > MAX_PHOTO_SIDES
        or max(width, height) > MAX_PHOTO_RATIO * min(width, height)
    ):
        raise Rejected("Bad Request: PHOTO_INVALID_DIMENSIONS")
    return width, height


def _png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """The (type, data) chunks of a PNG file; Rejected for anything that is not one, intact."""
    if not data.startswith(PNG_SIGNATURE):
        raise Rejected("Bad Request: IMAGE_PROCESS_FAILED")
    chunks, at = [], len(PNG_SIGNATURE)
    while at + 12 <= len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        crc = data[at + 8 + length : at + 12 + length]
        if len(body) != length or len(crc) != 4 or zlib.crc32(kind + body) != struct.unpack(">I", crc)[0]:
            raise Rejected("Bad Request: IMAGE_PROCESS_FAILED")
        chunks.append((kind, body))
        at += 12 + length
    return chunks
