"""Lists dead letters and replays them to their original sink.

python -m mystore_services.deadletter.cli list [--all]     undelivered ones (--all: replayed ones too)
python -m mystore_services.deadletter.cli show ID
python -m mystore_services.deadletter.cli replay ID|--all
"""

import sys

from mystore_kit.database import unit_of_work
from mystore_services.deadletter import handlers
from mystore_services.deadletter.models import DeadLetter


def describe(letter: DeadLetter) -> str:
    state = f"replayed {letter.replayed_at:%Y-%m-%d %H:%M:%S}" if letter.replayed_at else "waiting"
    attempts = "?" if letter.attempts is None else letter.attempts
    return (
        f"{letter.id}  {letter.received_at:%Y-%m-%d %H:%M:%S}  {letter.type}  id={letter.event_id}\n"
        f"    sink {letter.sink}  status {letter.status}  attempts {attempts}  {state}\n"
        f"    reason {letter.reason[:200]}"
    )


def main(argv: list[str]) -> int:
    command, *rest = argv or ["list"]
    if command == "list":
        found = handlers.letters(include_replayed="--all" in rest)
        for letter in found:
            print(describe(letter))
        print(f"{len(found)} dead letter(s)", file=sys.stderr)
        return 0
    if command == "show" and rest:
        with unit_of_work("deadletter") as session:
            letter = session.get(DeadLetter, rest[0])
        if letter is None:
            print(f"no dead letter {rest[0]}", file=sys.stderr)
            return 1
        print(describe(letter))
        print(f"    attributes {letter.attributes}\n    data {letter.data.decode(errors='replace')}")
        return 0
    if command == "replay" and rest:
        if rest[0] == "--all":
            results = list(handlers.replay_all())
        else:
            with unit_of_work("deadletter") as session:
                letter = session.get(DeadLetter, rest[0])
            if letter is None:
                print(f"no dead letter {rest[0]}", file=sys.stderr)
                return 1
            results = [(letter, *handlers.replay(letter))]
        for letter, delivered, status in results:
            print(f"{letter.id} → {letter.sink}: {'delivered' if delivered else 'failed'} (HTTP {status})")
        return 0 if all(delivered for _, delivered, _ in results) else 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
