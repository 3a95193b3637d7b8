"""The runner's restarts (mystore_local.runner.Supervised), on a clock the test moves."""

from mystore_local.runner import RAN_FINE_SECONDS, Supervised, restart_delay


def test_the_delay_doubles_from_1_s_up_to_30_s():
    assert [restart_delay(n) for n in range(7)] == [1, 2, 4, 8, 16, 30, 30]


def exited(child: Supervised) -> None:
    child.process.wait(timeout=30)


def test_a_process_that_keeps_exiting_is_restarted_ever_later_and_logged(capsys):
    child = Supervised("broken", "mystore_local.no_such_module")  # python exits with code 1
    now = child.started
    delays = []
    for _ in range(6):
        exited(child)
        now += 0.5
        child.check(now)
        delays.append(child.restart_at - now)
        pid = child.process.pid
        child.check(child.restart_at - 0.1)
        assert child.process.pid == pid  # not before its time
        now = child.restart_at
        child.check(now)
        assert child.process.pid != pid
    assert delays == [1, 2, 4, 8, 16, 30] and child.restarts == 6
    exited(child)
    logged = capsys.readouterr().err
    assert "runner: broken exited with code 1 after 0.5 s; restarting it in 16 s" in logged
    assert f"runner: restarted broken (pid {child.process.pid}, restart 6)" in logged


def test_a_process_that_ran_fine_for_a_while_starts_over_at_the_first_delay():
    child = Supervised("broken", "mystore_local.no_such_module")
    for _ in range(3):  # three quick exits: the next delay would be 8 s
        exited(child)
        child.check(child.started + 0.5)
        child.check(child.restart_at)
    exited(child)
    child.check(child.started + RAN_FINE_SECONDS)
    assert child.restart_at - (child.started + RAN_FINE_SECONDS) == 1
