"""The Vert.x event bus from Python: requests, sends, publications and consumers, under asyncio
(uvloop too), trio and anyio. The Java half (``_jawait_vertx``) talks to Vert.x; no Vert.x thread
ever waits for the GIL.
"""
from __future__ import annotations

import inspect
import marshal
import types
import weakref
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from threading import get_ident
from typing import Any, Union

import _jawait_vertx as _native

from jawait import JavaError, JavaObject, _backend
from jawait._streams import resume
from jawait.vertx import _tasks

DEFAULT_TIMEOUT = 30.0
"""Seconds a request waits for its reply unless told otherwise (Vert.x's default)."""

HANDLER_FAILED = 500
"""The failure code of a message whose handler raised (other than ReplyError)."""

UNAVAILABLE = 503
"""The failure code of a message that its consumer refused: too many waiting, or unregistered."""

Body = Any
"""An event bus body: JSON values (dict with str keys, list or tuple, str, int, float, bool, None) or bytes.
Typed as Any so that handlers read ``msg.body["item"]`` without casts; what cannot travel raises TypeError."""

Headers = Union[Mapping[str, str], None]
"""Message headers: str to str."""

Handler = Callable[["Message"], Awaitable[Any]]
"""An ``async def handler(msg)``: what it returns is the reply."""

_ANSWERED: Any = object()  # a Message's handle once it was replied to or failed
_unpack = marshal.loads  # batches and bodies that Java packed as marshal data (JSON data and bytes): unpacked in C
_pack = marshal.dumps
_AT_ONCE = 32
"""Replies (and requests) that cross to Java together without waiting for the end of the loop turn: Vert.x
works on the first of a long turn while Python makes the rest. Measured against crossing once a turn, 32 raised
a consumer answering a Java client from about 290,000 to 400,000 requests a second, and a client requesting a
Java consumer from about 180,000 to 225,000 (scripts/bench's exchanges repeated for 20 s, on 2 cores); 8 or 16
replies at once gained less, 64 no more, and 64 requests less."""


class EventBusError(Exception):
    """The event bus could not deliver a message or its reply. ``address`` names where it went."""

    def __init__(self, message: str, address: str | None = None) -> None:
        super().__init__(message)
        self.address = address


class ReplyError(EventBusError):
    """The recipient failed the message: ``code`` and ``message`` are what it said.

    Raise it in a handler to fail the message with that code and text (no traceback is logged).
    """

    def __init__(self, code: int, message: str, address: str | None = None) -> None:
        where = f"{address!r} failed the request" if address is not None else "the request failed"
        super().__init__(f"{where} with code {code}: {message}", address)
        self.code = code
        self.message = message


class NoHandlerError(EventBusError, LookupError):
    """No consumer is registered for the address."""


class ReplyTimeoutError(EventBusError, TimeoutError):
    """No reply came within the timeout (``timeout``, in seconds)."""

    def __init__(self, message: str, address: str, timeout: float) -> None:
        super().__init__(message, address)
        self.timeout = timeout


def _check_timeout(timeout: object) -> None:
    if type(timeout) not in (int, float) or not timeout > 0:  # type: ignore[operator]
        raise ValueError(f"a request timeout is a positive number of seconds, not {timeout!r}")


def _check_address(address: object) -> None:
    if type(address) is not str:
        raise TypeError(f"an event bus address must be a str, not {type(address).__name__}")


class Message:
    """A message from the event bus: ``body`` (JSON values as dict, list, str, int, float, bool or
    None; a Buffer as bytes), ``headers`` (a dict of str to str) and ``address``.

    Answer a request with ``await msg.reply(body)`` or ``msg.fail(code, text)``; ``expects_reply``
    says whether its sender waits for one (a published message, or one sent without a request,
    ignores both).
    """

    __slots__ = ("address", "body", "_headers", "_handle", "_index")
    address: str
    body: Body

    def __init__(self, address: str, body: Body, headers: dict[str, str] | None, handle: Any,
                 index: int = 0) -> None:
        self.address = address
        self.body = body
        self._headers = headers  # None until read: most messages have none, and an empty dict each costs
        self._handle = handle  # the Java delivery that holds this message, while it can be answered
        self._index = index  # its place in the delivery

    @property
    def headers(self) -> dict[str, str]:
        """The message's headers, a dict of str to str (empty when it has none)."""
        headers = self._headers
        if headers is None:
            headers = self._headers = {}
        return headers

    @headers.setter
    def headers(self, headers: dict[str, str]) -> None:
        self._headers = headers

    def __repr__(self) -> str:
        return f"<Message to {self.address!r}: {self.body!r}>"

    @property
    def expects_reply(self) -> bool:
        """Whether the sender waits for a reply that was not given yet."""
        return self._handle is not None and self._handle is not _ANSWERED

    async def reply(self, body: Body = None, *, headers: Headers = None) -> None:
        """Replies to the sender with ``body`` (and ``headers``, a dict of str to str)."""
        self._reply(body, headers)

    async def reply_and_request(self, body: Body = None, *, timeout: float = DEFAULT_TIMEOUT,
                                headers: Headers = None) -> Message:
        """Replies with ``body`` and returns the sender's answer to the reply, a :class:`Message` (which
        may expect a reply in turn): a conversation of several steps, as Vert.x's ``replyAndRequest``.
        Raises as :meth:`EventBus.request` does; a message that expects no reply raises RuntimeError."""
        _check_timeout(timeout)
        handle = self._take_handle("reply to")
        if handle is None:
            raise RuntimeError(f"the message from {self.address!r} expects no reply (it was published, or sent "
                               f"without a request): there is no one to answer")
        reply_body, reply_headers, failure, target, packed = await _native.reply_and_request(
            handle, self._index, body, headers, timeout)
        if failure is not None:
            if isinstance(failure, str):
                self._handle = handle  # nothing was sent: the message can still be answered
            raise _request_failure(failure, self.address, timeout)
        return Message(self.address, _unpack(reply_body) if packed else reply_body, reply_headers, target)

    def _reply(self, body: Body, headers: Headers) -> None:
        handle = self._take_handle("reply to")
        if handle is None:
            return
        problem = _native.reply(handle, self._index, body, headers)
        if problem is not None:
            self._handle = handle  # nothing was sent: the message can still be answered
            raise TypeError(problem)

    def fail(self, code: int, text: str) -> None:
        """Fails the message back to its sender, who gets ``ReplyError`` (Java: ``ReplyException``)
        with this code (an int) and text."""
        if type(code) is not int:
            raise TypeError(f"a failure code must be an int, not {type(code).__name__}")
        if not isinstance(text, str):
            raise TypeError(f"a failure text must be a str, not {type(text).__name__}")
        handle = self._take_handle("fail")
        if handle is not None:
            _native.fail(handle, self._index, code, text)

    def _take_handle(self, action: str) -> Any:
        handle = self._handle
        if handle is _ANSWERED:
            raise RuntimeError(f"cannot {action} the message from {self.address!r}: it was already answered")
        if handle is not None:
            self._handle = _ANSWERED
        return handle


def _request_failure(failure: str | tuple[str, int, str] | Exception, address: str, timeout: float) -> Exception:
    if isinstance(failure, Exception):  # raised as the request was handed over
        return failure
    if isinstance(failure, str):
        return TypeError(failure)
    kind, code, text = failure
    if kind == "TIMEOUT":
        return ReplyTimeoutError(f"no reply from {address!r} within {timeout:g} s", address, timeout)
    if kind == "NO_HANDLERS":
        return NoHandlerError(f"no handler for {address!r} on the event bus", address)
    if kind == "RECIPIENT_FAILURE":
        return ReplyError(code, text, address)
    return EventBusError(f"the request to {address!r} failed: {text}", address)


class EventBus:
    """The event bus of a Vert.x instance: ``EventBus(vertx)``, with ``vertx`` a Vert.x instance
    that Java handed to Python; in a Python verticle, ``verticle.bus`` (or :func:`event_bus`).

    Bodies are JSON values (dict with str keys, list, str, int, float, bool, None), which Java
    consumers read as JsonObject, JsonArray and scalars, or bytes, which travel as a Buffer.
    Headers are a dict of str to str.
    """

    __slots__ = ("_endpoint", "_owner", "_requests", "__weakref__")
    _endpoint: JavaObject
    _owner: set[MessageConsumer] | None
    _requests: dict[int, _Requests]  # by the thread of the event loop they are made on

    def __init__(self, vertx: JavaObject) -> None:
        try:
            self._endpoint = _native.endpoint(vertx)
        except TypeError:
            raise TypeError(f"EventBus() needs a Vert.x instance (a Java io.vertx.core.Vertx that Java handed to "
                            f"Python), not {vertx!r}") from None
        self._owner = None
        self._requests = {}

    @classmethod
    def _of(cls, endpoint: JavaObject, owner: set[MessageConsumer] | None) -> EventBus:
        """The bus of a Python verticle: its consumers register on the verticle's context, and
        ``owner`` (a set) keeps the registered ones until the verticle stops."""
        bus = cls.__new__(cls)
        bus._endpoint = endpoint
        bus._owner = owner
        bus._requests = {}
        return bus

    async def request(self, address: str, body: Body = None, *, timeout: float = DEFAULT_TIMEOUT,
                      headers: Headers = None) -> Message:
        """Sends ``body`` to one consumer of ``address`` and returns its reply, a :class:`Message`.

        Raises :class:`ReplyTimeoutError` (a ``TimeoutError``) when no reply comes within
        ``timeout`` seconds, :class:`NoHandlerError` (a ``LookupError``) when nobody consumes the
        address, :class:`ReplyError` when the consumer fails the message, and ``TypeError`` for a
        body or headers that cannot travel (before anything is sent).
        """
        if type(address) is not str:
            _check_address(address)
        if type(timeout) is not float or not timeout > 0:
            _check_timeout(timeout)
        failure: Any = False  # False: not sent packed
        if headers is None or type(headers) is dict:
            try:  # JSON data crosses packed, with the other requests of this loop turn
                message = _pack((body, headers), 2)
            except ValueError:  # marshal: not plain data
                pass
            else:
                requests = self._requests.get(get_ident())
                if requests is None or not requests.outgoing:  # the turn's first: is it still the same loop?
                    requests = self._requests_here()
                reply = await requests.start(address, message, timeout)
                if type(reply) is not _Reply:  # most replies: a body alone
                    return Message(address, reply, None, None)
                reply_body, reply_headers, failure, target, index = reply
        if failure is False:  # anything else as objects, where request says what is wrong
            self._send_requests()
            reply_body, reply_headers, failure, target, packed = await _native.request(
                self._endpoint, address, body, headers, timeout)
            if packed:
                reply_body = _unpack(reply_body)
            index = 0
        if failure is not None:
            raise _request_failure(failure, address, timeout)
        return Message(address, reply_body, reply_headers, target, index)

    def _send_requests(self) -> None:
        """Hands this thread's requests of the loop turn to Java now, before a message that goes at
        once, so that messages leave in the order they were made."""
        requests = self._requests.get(get_ident())
        if requests is not None and requests.outgoing:
            requests.send()

    def _requests_here(self) -> _Requests:
        """The requests of this thread's event loop. Looking up the loop costs more than a request, so
        :meth:`request` asks once a loop turn, as the turn's first request is made."""
        thread = get_ident()
        requests = self._requests.get(thread)
        backend = _tasks.backend()
        loop = backend.channel()
        if requests is None or requests.closed or requests.loop is not loop:  # a new loop on this thread
            requests = self._requests[thread] = _Requests(self, thread, loop, backend)
        return requests

    def send(self, address: str, body: Body = None, *, headers: Headers = None) -> None:
        """Sends ``body`` to one consumer of ``address``, expecting no reply. A body or headers
        that cannot travel raise ``TypeError``."""
        _check_address(address)
        self._send_requests()
        problem = _native.send(self._endpoint, address, body, headers)
        if problem is not None:
            raise TypeError(problem)

    def publish(self, address: str, body: Body = None, *, headers: Headers = None) -> None:
        """Sends ``body`` to every consumer of ``address``. A body or headers that cannot travel
        raise ``TypeError``."""
        _check_address(address)
        self._send_requests()
        problem = _native.publish(self._endpoint, address, body, headers)
        if problem is not None:
            raise TypeError(problem)

    def consumer(self, address: str, handler: Handler | None = None, *, local: bool = False, concurrency: int = 64,
                 max_buffered: int = 1000) -> MessageConsumer:
        """A consumer of ``address``, registered while ``async with`` runs:

        - with ``handler``, an ``async def handler(msg)`` that runs for each message, up to
          ``concurrency`` at once; unless it answered the message itself (``msg.reply``,
          ``msg.fail``), what it returns is the reply, and if it raises, the message fails back to
          its sender (with the code and text of a :class:`ReplyError`, else code 500 and the
          exception's type and message, the traceback being logged);
        - without, an async iterator of :class:`Message`: ``async for msg in consumer``.

        ``local`` keeps it off the cluster. At most ``max_buffered`` messages wait for Python
        beyond those it is handling; one more is failed back with code 503, as are the ones still
        waiting when the consumer is unregistered: no message is lost unseen.
        """
        _check_address(address)
        if handler is not None and not _is_async_callable(handler):
            raise TypeError(f"a message handler must be an async function (async def handler(msg)), "
                            f"not {handler!r}")
        if type(concurrency) is not int or concurrency < 1:
            raise ValueError(f"concurrency is a number of handlers at once, at least 1, not {concurrency!r}")
        if type(max_buffered) is not int or max_buffered < 0:
            raise ValueError(f"max_buffered is a number of messages, at least 0, not {max_buffered!r}")
        return MessageConsumer(self, address, handler, local, concurrency, max_buffered)

    async def serve(self, address: str, handler: Handler, *, local: bool = False, concurrency: int = 64,
                    max_buffered: int = 1000) -> None:
        """Runs ``handler`` for the messages of ``address`` until cancelled (see :meth:`consumer`)."""
        async with self.consumer(address, handler, local=local, concurrency=concurrency, max_buffered=max_buffered):
            await _tasks.sleep_forever()


class _Reply(tuple):  # type: ignore[type-arg]
    """(body, headers, failure, target, index): how a request ends when its reply is not a body alone."""

    __slots__ = ()


class _Requests:
    """The requests that one EventBus makes on one event loop. Those of a loop turn cross to Java
    together; their replies come back in batches, to a task that resolves each request's future:
    a request costs no call to Java of its own, and its await no more than a future's."""

    __slots__ = ("loop", "outgoing", "closed", "_inbox", "_backend", "_future", "_waiting", "_last_id", "_owner",
                 "_thread")

    def __init__(self, bus: EventBus, thread: int, loop: object, backend: _backend.Backend) -> None:
        self.loop = loop  # the Java channel of the event loop they are made on
        self.outgoing: list[Any] = []  # [id, address, message, timeout, id, ...] to hand to Java at the end of this turn
        self.closed = False  # once no more replies come: a request then makes new _Requests
        self._inbox = _native.inbox(bus._endpoint)
        self._backend = backend
        self._future = backend.futures()
        self._waiting: dict[int, _backend.Future] = {}  # by request id
        self._last_id = 0
        inbox = self._inbox
        # Not the bus itself: once it is collected, its replies end, and so does the task that reads them.
        self._owner = weakref.ref(bus, lambda _: _native.close_inbox(inbox))
        self._thread = thread
        backend.start_system_task(self._serve, (), "jawait event bus replies", self._forget)

    def start(self, address: str, message: bytes, timeout: float) -> _backend.Future:
        """Requests a reply to ``message`` (marshal data of (body, headers)), handed to Java at the end
        of this loop turn; the future resolves to the reply's body, or else to a :class:`_Reply`, as
        :meth:`EventBus.request` reads them. A request whose caller stops waiting still gets its
        reply (or its timeout), which goes nowhere."""
        request_id = self._last_id = (self._last_id + 1) & 0x7FFFFFFF  # a marshal int
        future = self._waiting[request_id] = self._future()
        if not self.outgoing:
            self._backend.call_soon(self.send)
        self.outgoing += (request_id, address, message, float(timeout))
        if len(self.outgoing) == 4 * _AT_ONCE:  # 4 items a request
            self.send()
        return future

    def send(self) -> None:
        """Hands the requests made so far to Java."""
        outgoing, self.outgoing = self.outgoing, []
        if not outgoing:
            return
        try:
            _native.request_all(self._inbox, _pack(outgoing, 2))
        except Exception as error:  # such as a closed Vert.x: each request raises it, none waits for ever
            for request_id in outgoing[::4]:
                self._settle(request_id, _Reply((None, None, error, None, 0)))

    def _forget(self) -> None:
        """Leaves its bus: a request from now on makes new _Requests."""
        bus = self._owner()
        if bus is not None and bus._requests.get(self._thread) is self:
            del bus._requests[self._thread]

    def _settle(self, request_id: int, reply: _Reply) -> None:
        future = self._waiting.pop(request_id, None)
        if future is not None and not future.done():
            future.set_result(reply)

    def _settle_entry(self, entry: tuple[int, Body, dict[str, str] | None, Any, bool], delivery: JavaObject,
                      index: int) -> None:
        """Resolves the request of a reply with headers, or that expects an answer, or whose body is not JSON
        data; or of a failure."""
        request_id, body, headers, failure, replies = entry
        if body is ...:  # not JSON data: converted object by object
            try:
                body, headers = _native.unpacked(delivery, index)
            except Exception as error:
                body, headers, failure = None, None, error
        self._settle(request_id, _Reply((body, headers, failure, delivery if replies else None, index)))

    async def _serve(self) -> None:
        """Resolves the requests' futures with the replies as they come, until the loop ends (or the
        EventBus is collected)."""
        waiting = self._waiting
        ending = "the event loop is closing"
        try:
            async for entries, delivery in _native.replies(self._inbox):
                for index, entry in enumerate(_unpack(entries)):
                    try:
                        request_id, body = entry  # most replies: the body alone, in JSON data
                    except ValueError:
                        self._settle_entry(entry, delivery, index)
                        continue
                    future = waiting.pop(request_id, None)
                    if future is not None and not future.done():
                        future.set_result(body)
        except Exception as error:
            _tasks.LOG.exception("the replies to the requests of an EventBus failed")
            ending = f"its reply could not reach Python ({error})"
        finally:  # no reply reaches this loop any more, and a request from now on makes new _Requests
            self.closed = True
            self._forget()
            self.outgoing = []
            for request_id in list(waiting):
                self._settle(request_id, _Reply((None, None, ("ERROR", -1, ending), None, 0)))


def _is_async_callable(function: object) -> bool:
    # An instance whose __call__ is a coroutine function is an async callable too.
    return inspect.iscoroutinefunction(function) or inspect.iscoroutinefunction(
        getattr(function, "__call__", None))  # noqa: B004 - reads __call__, does not test callability


class MessageConsumer:
    """A consumer of one address (see :meth:`EventBus.consumer`). ``async with`` registers it,
    waiting until Vert.x confirms (across a cluster, until other nodes can reach it), and
    unregisters it at the end, again waiting for Vert.x; leaving by cancellation does the same.
    Iterated without ``async with``, it registers at the first message, and unregisters once it
    is garbage collected: ``async with`` says when.
    """

    def __init__(self, bus: EventBus, address: str, handler: Handler | None, local: bool, concurrency: int,
                 max_buffered: int) -> None:
        self.address = address
        self._bus = bus
        self._handler = handler
        self._local = local
        self._concurrency = concurrency
        self._max_buffered = max_buffered
        self._feed: JavaObject | None = None
        self._stream: AsyncIterator[Any] | None = None  # of batches of messages
        self._received: deque[Message] = deque()  # of the last batch, not yet handled
        self._state = "new"  # registering, registered, closing, closed
        self._workers: _Workers | None = None
        self._reading = False  # whether some task awaits the next message

    def __repr__(self) -> str:
        return f"<MessageConsumer of {self.address!r} ({self._state})>"

    @property
    def registered(self) -> bool:
        """Whether Vert.x delivers this address's messages to it now."""
        return self._state == "registered"

    async def register(self) -> None:
        """Registers the consumer and waits until Vert.x confirms; with a handler, starts serving."""
        if self._state != "new":
            raise RuntimeError(f"the consumer of {self.address!r} was registered already")
        self._state = "registering"
        try:
            self._feed = await _native.consume(self._bus._endpoint, self.address, self._local, self._max_buffered)
        except BaseException as error:
            self._state = "new"
            if isinstance(error, JavaError):
                raise EventBusError(f"could not register a consumer of {self.address!r}: {error}",
                                    self.address) from error
            raise
        self._stream = _native.messages(self._feed)
        self._state = "registered"
        if self._bus._owner is not None:
            self._bus._owner.add(self)
        if self._handler is not None:
            self._workers = _Workers(self)
            self._workers.start()

    async def unregister(self) -> None:
        """Unregisters the consumer and waits until Vert.x confirms. Messages that arrived and were
        not handled yet are failed back (code 503); with a handler, the handlers still running are
        cancelled, and their messages failed back too."""
        if self._state != "registered":
            return
        self._state = "closing"
        try:
            await _tasks.shielded(self._close)
        finally:
            self._state = "closed"
            if self._bus._owner is not None:
                self._bus._owner.discard(self)

    async def _close(self) -> None:
        assert self._feed is not None and self._stream is not None
        await _native.unregister(self._feed)  # what arrives from now on is failed back by Java
        if self._workers is not None:
            await self._workers.aclose()
        elif not self._reading:  # else the task iterating gets what remains, then the end
            while True:
                for msg in self._received:
                    self._refuse(msg)
                self._received.clear()
                try:
                    await self._receive()
                except StopAsyncIteration:
                    return

    def _refuse(self, msg: Message) -> None:
        if msg.expects_reply:
            msg.fail(UNAVAILABLE, f"the Python consumer of {self.address!r} was unregistered before it handled "
                                  f"this message")

    async def _receive(self) -> None:
        """Waits for the next batch of messages and queues them (StopAsyncIteration at the end)."""
        assert self._stream is not None
        entries, delivery = await self._stream.__anext__()
        address = self.address
        self._received.extend([
            Message(address, body, headers, delivery if replies else None, index) if body is not ... else
            self._unpacked(delivery, index, replies)
            for index, (body, headers, replies) in enumerate(_unpack(entries))])

    def _unpacked(self, delivery: JavaObject, index: int, replies: bool) -> Message:
        """A message whose body is not JSON data (Ellipsis in its batch): its body and headers as
        jawait's converters make them."""
        body, headers = _native.unpacked(delivery, index)
        return Message(self.address, body, headers, delivery if replies else None, index)

    async def __aenter__(self) -> MessageConsumer:
        await self.register()
        return self

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None,
                        traceback: types.TracebackType | None) -> None:
        await self.unregister()

    def __aiter__(self) -> MessageConsumer:
        if self._handler is not None:
            raise TypeError(f"the consumer of {self.address!r} has a handler: it is not iterated")
        return self

    async def __anext__(self) -> Message:
        if self._state == "new":
            await self.register()
        elif self._state == "closed":
            raise StopAsyncIteration
        received = self._received
        while not received:
            self._reading = True
            try:
                await self._receive()
            except StopAsyncIteration:
                self._state = "closed"
                raise
            finally:
                self._reading = False
        return received.popleft()

    async def _handle(self, msg: Message, workers: _Workers, step: Any = None, waiting_on: Any = None) -> None:
        """Runs the handler for one message, or finishes its ``step`` that suspended at
        ``waiting_on``: inline while it does not suspend; when it does, another worker reads on, and
        closing the consumer can cancel it."""
        try:
            with _tasks.Interruptible(workers.handling, workers.backend) as run:
                if step is None:
                    assert self._handler is not None
                    step = self._handler(msg)
                    try:
                        waiting_on = step.send(None)
                    except StopIteration as done:
                        result = done.value
                        step = None
                    else:
                        workers.suspended()
                if step is not None:
                    run.arm()
                    result = await resume(step, waiting_on)
        except Exception as error:
            self._failed(msg, error)
        else:
            workers.reply(msg, result)

    def _failed(self, msg: Message, error: Exception) -> None:
        """The handler of ``msg`` raised ``error``, or was cancelled (Interrupted): fails the message back."""
        if isinstance(error, _tasks.Interrupted):
            code, text = UNAVAILABLE, f"the handler of {self.address!r} was cancelled: the consumer was unregistered"
        elif isinstance(error, ReplyError):
            code, text = error.code, error.message
        else:
            _tasks.LOG.error("the handler of %r failed on %r", self.address, msg, exc_info=error)
            code, text = HANDLER_FAILED, f"{type(error).__name__}: {error}"
        if msg.expects_reply:
            msg.fail(code, text)


class _Workers:
    """Runs a consumer's handler on its messages in as few tasks as keep up. One worker reads at a
    time; a handler that completes without suspending costs no task switch. When a handler
    suspends, another worker takes over reading (an idle one, or a new one up to the consumer's
    concurrency), so slow handlers run side by side and fast messages never wait behind them."""

    def __init__(self, consumer: MessageConsumer) -> None:
        self._consumer = consumer
        self._tasks = _tasks.TaskSet(f"the consumer of {consumer.address!r}")
        self._idle = _tasks.Parking()
        self._count = 0
        self._reader = False  # whether a worker is reading
        self._ended = False
        self._closing = False
        self.handling: set[_tasks.Interruptible] = set()  # the handlers suspended now, as Interruptibles
        self.backend = _tasks.backend()
        self._targets: list[JavaObject] = []  # the deliveries of the replies to hand to Java at the end of this turn
        self._replies: list[Any] = []  # [None, index, body, index, body, None, ...]: each None starts the next target's
        self._target: JavaObject | None = None  # the last of them
        self._flush_due = False  # whether a flush waits for the end of this turn

    def start(self) -> None:
        self._spawn()

    def reply(self, msg: Message, body: Body) -> None:
        """A handler's result as its message's reply, handed to Java with the others of this turn
        of the loop (or of its last stretch, in a long turn): one call for many. Nothing for a
        message that expects no reply, or that its handler answered itself."""
        target = msg._handle  # read here, not through expects_reply: two calls less per message
        if target is None or target is _ANSWERED:
            return
        msg._handle = _ANSWERED
        if not self._flush_due:  # once a turn, not after each stretch of _AT_ONCE
            self._flush_due = True
            self.backend.call_soon(self._end_turn)
        if target is not self._target:
            self._target = target
            self._targets.append(target)
            self._replies.append(None)
        self._replies += (msg._index, body)
        if len(self._replies) > 2 * _AT_ONCE:  # an index and a body each, and a None for each target
            self._flush()

    def _end_turn(self) -> None:
        self._flush_due = False
        self._flush()

    def _flush(self) -> None:
        targets, replies = self._targets, self._replies
        if not targets:
            return
        self._targets, self._replies, self._target = [], [], None
        try:  # JSON data crosses packed, in one bytes; anything else object by object, where reply_all says what
            if _native.reply_packed(targets[0] if len(targets) == 1 else targets, _pack(replies, 2)):
                return
        except ValueError:  # marshal: not plain data
            pass
        answers = list(self._each(targets, replies))
        try:
            problems = _native.reply_all([item for answer in answers for item in answer])
        except Exception:  # such as a str that cannot convert: each reply on its own, so the others go
            problems = [problem for target, index, body in answers
                        for problem in [self._reply_alone(target, index, body)] if problem is not None]
        for problem in problems or ():
            _tasks.LOG.error("the handler of %r returned a reply that cannot travel: %s", self._consumer.address,
                             problem)

    @staticmethod
    def _each(targets: list[JavaObject], replies: list[Any]) -> Iterator[tuple[JavaObject, int, Body]]:
        """(target, index, body) of each reply gathered for :meth:`_flush`."""
        next_target = iter(targets)
        position = 0
        while position < len(replies):
            if replies[position] is None:
                target = next(next_target)
                position += 1
            yield target, replies[position], replies[position + 1]
            position += 2

    @staticmethod
    def _reply_alone(target: JavaObject, index: int, body: Body) -> str | None:
        try:
            problem: str | None = _native.reply(target, index, body, None)
            failure: str | None = None if problem is None else f"TypeError: {problem}"
        except Exception as error:
            problem = failure = f"{type(error).__name__}: {error}"
        if failure is not None:
            _native.fail(target, index, HANDLER_FAILED, failure)
        return problem

    def _spawn(self) -> None:
        self._count += 1
        self._tasks.start_soon(self._work)

    def suspended(self) -> None:
        """The reading worker's handler suspended: another worker reads on (an idle one, or a new one)."""
        if not self._idle.unpark() and self._count < self._consumer._concurrency and not self._closing:
            self._spawn()

    async def _work(self) -> None:
        consumer = self._consumer
        received = consumer._received
        handler = consumer._handler
        assert handler is not None
        # Where the backend lets an interruption be entered late (asyncio), the handler runs right here until it
        # returns or first suspends: one that does not suspend costs no coroutine or interruption of jawait's own,
        # nor a call of its own.
        inline = self.backend.LATE_INTERRUPTION
        while not self._ended:
            if received:
                msg = received.popleft()
                if self._closing:
                    consumer._refuse(msg)
                elif not inline:
                    await consumer._handle(msg, self)
                else:
                    try:
                        step: Any = handler(msg)
                        waiting_on = step.send(None)
                    except StopIteration as done:
                        self.reply(msg, done.value)
                    except Exception as error:
                        consumer._failed(msg, error)
                    else:
                        self.suspended()
                        await consumer._handle(msg, self, step, waiting_on)
                continue
            if self._reader:
                await self._idle.park()
                continue
            self._reader = True
            try:
                await consumer._receive()
            except StopAsyncIteration:
                self._ended = True
                self._idle.unpark_all()
                return
            finally:
                self._reader = False

    async def aclose(self) -> None:
        """After unregistering: cancels the handlers that run, fails back the messages left, and
        waits until every worker has ended."""
        self._closing = True
        for run in list(self.handling):
            run.cancel()
        await self._tasks.aclose(cancel=False)
        self._flush()
