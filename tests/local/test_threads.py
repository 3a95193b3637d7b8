"""The runner gives a function the threads and streams the declaration asks for, as the chart does."""

import io

from mystore_local import runner


class Exited:
    stdout = io.StringIO("")


def env_of(monkeypatch, name: str) -> dict:
    seen = {}

    def popen(command, *, env, **options):
        seen.update(env)
        return Exited()

    monkeypatch.setattr(runner.subprocess, "Popen", popen)
    runner.start(name, "mystore_local.serve", name)
    return seen


def test_the_bff_gets_its_declared_threads_and_streams_and_others_the_default(monkeypatch):
    monkeypatch.delenv("MYSTORE_THREADS", raising=False)
    monkeypatch.delenv("MYSTORE_MAX_STREAMS", raising=False)
    bff = env_of(monkeypatch, "bff")
    assert (bff["MYSTORE_THREADS"], bff["MYSTORE_MAX_STREAMS"]) == ("16", "500")
    other = env_of(monkeypatch, "order-get")  # Settings.threads and max_streams: 8 and 32
    assert "MYSTORE_THREADS" not in other and "MYSTORE_MAX_STREAMS" not in other


def test_an_explicit_thread_count_wins(monkeypatch):
    monkeypatch.setenv("MYSTORE_THREADS", "32")
    assert env_of(monkeypatch, "bff")["MYSTORE_THREADS"] == "32"
