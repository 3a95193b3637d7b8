"""Runs one declared function on a laptop without a broker: kit.serve with the direct channel.

    python -m mystore_local.serve auth-login      (the local runner starts it; see mystore_kit.serve)

The local composition root: the same function, its events delivered by mystore_local.channel
instead of Kafka.
"""

import os
import sys

from mystore_kit import serve
from mystore_local.channel import DirectChannel


def main(argv: list[str]) -> int:
    if argv:
        os.environ["MYSTORE_FUNCTION"] = argv[0]  # before Settings is first read
    return serve.run(DirectChannel())


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
