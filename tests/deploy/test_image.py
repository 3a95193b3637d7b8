"""The image's build context: what .dockerignore lets in is what ships, and no stand-in is in it."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def pattern_regex(pattern: str) -> re.Pattern:
    """A .dockerignore pattern as Docker matches it (`**` any depth, `*` within one name)."""
    text = pattern.strip().strip("/")
    out = ""
    i = 0
    while i < len(text):
        if text.startswith("**/", i):
            out += "(?:.*/)?"
            i += 3
        elif text.startswith("**", i):
            out += ".*"
            i += 2
        elif text[i] == "*":
            out += "[^/]*"
            i += 1
        elif text[i] == "?":
            out += "[^/]"
            i += 1
        else:
            out += re.escape(text[i])
            i += 1
    return re.compile(out)


def build_context(root: Path = ROOT) -> set[str]:
    """The tracked files Docker sends with `docker build .`: the last matching pattern decides, and a
    pattern that matches a folder matches everything in it."""
    rules = []
    for line in (root / ".dockerignore").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            rules.append((line.startswith("!"), pattern_regex(line.lstrip("!"))))
    files = subprocess.run(["git", "ls-files"], cwd=root, capture_output=True, text=True, check=True).stdout
    kept = set()
    for path in files.split():
        parts = path.split("/")
        prefixes = ["/".join(parts[: n + 1]) for n in range(len(parts))]
        included = True
        for negated, regex in rules:
            if any(regex.fullmatch(prefix) for prefix in prefixes):
                included = negated
        if included:
            kept.add(path)
    return kept


def test_the_matcher_follows_dockers_rules():
    assert pattern_regex("**/__pycache__").fullmatch("functions/a/__pycache__")
    assert pattern_regex("*").fullmatch("README.md") and not pattern_regex("*").fullmatch("a/b")
    assert pattern_regex("frontend/node_modules/").fullmatch("frontend/node_modules")


def test_the_context_holds_the_functions_and_the_storefront():
    context = build_context()
    for needed in (
        "pyproject.toml",
        "functions/functions.yaml",
        "functions/mystore_kit/serve.py",
        "functions/mystore_kit/events/publisher.py",
        "functions/mystore_services/orders/create.py",
        "functions/mystore_edges/bff/app.py",
        "frontend/package.json",
        "knative/dev/restart-on-sync",
    ):
        assert needed in context, needed


def test_no_local_stand_in_is_in_the_image():
    """Runner, dispatcher, direct channel and its delivery emulation stay on the laptop."""
    context = build_context()
    assert not {path for path in context if path.startswith("mystore_local/")}
    assert not {path for path in context if path.startswith(("tests/", "scripts/", "var/"))}
    importing = {
        path
        for path in context
        if path.endswith(".py")
        and re.search(r"^\s*(from|import) mystore_local\b", (ROOT / path).read_text(), re.M)
    }
    assert importing == set()


def test_every_dockerfile_copy_source_is_in_the_context():
    context = build_context()
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        words = line.split()
        if words[:1] != ["COPY"] or any(word.startswith("--from=") for word in words):
            continue
        sources = [word for word in words[1:-1] if not word.startswith("--")]
        for source in sources:
            source = source.rstrip("/")
            assert any(path == source or path.startswith(source + "/") for path in context), source
