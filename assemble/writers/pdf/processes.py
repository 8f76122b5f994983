"""Turn a function into work done in another process: forked, a pipe each way, pickled
messages, and one failure protocol, whatever the work.

``Forked(work, what)`` forks a process that runs ``work(channel)`` and ends; this side
sends it messages (``send``), tells it nothing more will come (``done_sending``) and
receives what it sends (``receive``), each message a kind and a value. The work sends
with ``channel.send(kind, value)`` and receives with ``channel.receive()``; when this
side lets go (``end``, or the process it runs in ends), the work's next message either
way raises ``Gone`` and the process ends quietly: the work was not wanted after all.

What goes wrong in the work is sent back and raised here, from ``receive``, as it would
have been raised here (``failure``, ``rebuilt``): an ``AssembleError`` as the same kind
(any subclass, with its message, hint, exit status and problems), an ``OSError`` with its
errno, text and file name, anything else as an ``InternalError`` naming what happened. A
process that ends without a word is an ``InternalError`` too. Ctrl-C is this side's to
act on: the work ignores it, and ``stop`` ends the process at once.

The messages are our own process's pickles over our own pipes: only a fork of this
process ever reads them.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import pickle
import select
import signal
import struct
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NoReturn, Protocol, TypeVar

from ...errors import AssembleError, InternalError

FAILED = "failed"  # the kind of the message that carries a failure
_HEAD = struct.Struct(">Q")  # a message's length, before it
_PACKAGE = __name__.partition(".")[0] + "."  # modules a failure's class may be imported from


class Gone(Exception):
    """The other side has let go: nothing more will come, and nothing sent will be read."""


class Channel:
    """One side's ends of the two pipes: messages in, messages out."""

    def __init__(self, inbox: int, outbox: int):
        self.inbox, self.outbox = inbox, outbox

    def send(self, kind: str, value: object = None) -> None:
        """Send a message; Gone when the other side has let go."""
        data = pickle.dumps((kind, value), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            for piece in (_HEAD.pack(len(data)), data):  # apart: a part's megabytes are not copied to join them
                view = memoryview(piece)
                while view:
                    view = view[os.write(self.outbox, view):]
        except OSError as exc:  # BrokenPipeError among them
            raise Gone from exc

    def receive(self) -> tuple[str, Any]:
        """The next message (kind, value); Gone when the other side has let go."""
        try:
            (size,) = _HEAD.unpack(self._read(_HEAD.size))
            kind, value = pickle.loads(self._read(size))
        except OSError as exc:
            raise Gone from exc
        return kind, value

    def close_outbox(self) -> None:
        """Send nothing more: the other side's next ``receive`` raises Gone."""
        if self.outbox >= 0:
            with contextlib.suppress(OSError):
                os.close(self.outbox)
            self.outbox = -1  # never closed twice: by then the number may be another file's

    def close(self) -> None:
        self.close_outbox()
        if self.inbox >= 0:
            with contextlib.suppress(OSError):
                os.close(self.inbox)
            self.inbox = -1

    def _read(self, size: int) -> bytearray:
        data = bytearray(size)
        view = memoryview(data)
        while view:
            n = os.readv(self.inbox, [view])
            if n == 0:
                raise Gone
            view = view[n:]
        return data


class Forked:
    """`work(channel)` running in a forked process; this side's ends of its pipes.

    `siblings`: processes forked before this one, whose ends of their pipes this one
    must not hold (else a pipe one of them is let go of would never end)."""

    _channel: Channel

    def __init__(self, work: Callable[[Channel], None], what: str, siblings: Iterable[Forked] = ()):
        self.what = what
        to_child, from_parent = os.pipe()
        to_parent, from_child = os.pipe()
        sys.stdout.flush()  # else what this process has buffered is written twice
        sys.stderr.flush()
        try:
            pid = os.fork()
        except OSError:
            Channel(to_child, from_parent).close()
            Channel(to_parent, from_child).close()
            raise
        if pid == 0:
            for sibling in siblings:
                sibling._channel.close()
            os.close(from_parent)
            os.close(to_parent)
            _run(work, Channel(to_child, from_child))
        os.close(to_child)
        os.close(from_child)
        self.pid = pid
        self._channel = Channel(to_parent, from_parent)
        self._ended = False

    def send(self, kind: str, value: object = None) -> bool:
        """Send it a message; False when it has gone (it failed, or ended)."""
        try:
            self._channel.send(kind, value)
        except Gone:
            return False
        return True

    def done_sending(self) -> None:
        """Tell it nothing more will come: its next ``receive`` raises Gone."""
        self._channel.close_outbox()

    def receive(self, *expected: str) -> tuple[str, Any]:
        """Its next message, of one of the `expected` kinds. What failed in it is raised here
        as it was raised there, and it is let go; so it is when it sends another kind, or
        ends without a word (an InternalError)."""
        try:
            kind, value = self._channel.receive()
        except Gone:
            self.end()
            raise InternalError(f"{self.what} ended without a word") from None
        if kind in expected:
            return kind, value
        self.end()
        if kind == FAILED:
            raise rebuilt(value, self.what)
        raise InternalError(f"{self.what} sent {kind!r}, not {' or '.join(map(repr, expected))}")

    def fileno(self) -> int:
        """What to wait on for its next message (``ready``)."""
        return self._channel.inbox

    def end(self) -> None:
        """Let it go: its pipes closed (it ends at its next message, if it has not ended),
        and its end waited for."""
        if not self._ended:
            self._ended = True
            self._channel.close()
            with contextlib.suppress(ChildProcessError, OSError):
                os.waitpid(self.pid, 0)

    def stop(self) -> None:
        """End it now, whatever it is doing."""
        if not self._ended:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGTERM)
            self.end()


class _Waited(Protocol):
    def fileno(self) -> int: ...


W = TypeVar("W", bound=_Waited)


def ready(waiting: Sequence[W]) -> list[W]:
    """Those of `waiting` (processes, or what holds one) with a message come, or gone
    quiet for good: waits until there is one."""
    poller = select.poll()
    for one in waiting:
        poller.register(one.fileno(), select.POLLIN)
    come = {fd for fd, _ in poller.poll()}
    return [one for one in waiting if one.fileno() in come]


def _run(work: Callable[[Channel], None], channel: Channel) -> NoReturn:
    """In the forked process: the work, its failure sent back; then the process ends."""
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to act on
        try:
            work(channel)
        except Gone:
            pass  # let go of: the work was not wanted after all
        except BaseException as exc:
            with contextlib.suppress(Gone):
                channel.send(FAILED, failure(exc))
    finally:
        os._exit(0)


# --- the failure protocol ---------------------------------------------------------------

Failure = tuple[str, str, tuple[Any, ...], dict[str, Any]]  # module, class name, arguments, attributes


def failure(exc: BaseException) -> Failure:
    """An exception as the other side can raise it again: an AssembleError as its kind,
    arguments and attributes (message, hint, problems …), an OSError as its kind, errno,
    text and file names; anything else as its name and text alone."""
    if isinstance(exc, OSError) and exc.errno is not None:
        args: tuple[Any, ...] = (exc.errno, exc.strerror, exc.filename, None, exc.filename2)
        return type(exc).__module__, type(exc).__qualname__, args, {}
    if isinstance(exc, AssembleError | OSError):
        state = dict(vars(exc))
        try:
            pickle.dumps((exc.args, state))
        except (pickle.PicklingError, TypeError, AttributeError):
            pass  # what cannot cross goes as a bug, with its text
        else:
            return type(exc).__module__, type(exc).__qualname__, exc.args, state
    return "", type(exc).__qualname__, (str(exc),), {}


def rebuilt(sent: Failure, what: str) -> BaseException:
    """The exception a failure stands for: an AssembleError (any subclass, with its message,
    hint, exit status and problems) as the same kind, an OSError as the same kind, errno
    and file names, anything else as an InternalError naming what happened in `what`."""
    module, name, args, state = sent
    cls = _exception_class(module, name)
    if cls is None:
        text = f"{name}: {args[0]}" if args and args[0] else name
        return InternalError(f"{what} failed: {text}")
    if issubclass(cls, OSError) and not state:
        try:
            return cls(*args)
        except TypeError:  # a subclass of its own making: the errno and file names are what count
            return OSError(*args)
    exc = cls.__new__(cls)  # not its __init__, whose arguments may be other than its args
    exc.args = args
    vars(exc).update(state)
    return exc


def _exception_class(module: str, name: str) -> type[BaseException] | None:
    """The AssembleError or OSError class a failure names, if it names one (a fork of this
    process has the same classes, in the same modules)."""
    if not module or "." in name:
        return None
    owner = sys.modules.get(module)
    if owner is None and module.startswith(_PACKAGE):
        with contextlib.suppress(ImportError):
            owner = importlib.import_module(module)
    cls = getattr(owner, name, None)
    if isinstance(cls, type) and issubclass(cls, AssembleError | OSError):
        return cls
    return None
