"""The Python half of the isolated-interpreter benchmarks: a CPU-bound request handler, and
CPython's own cost of making an isolated interpreter (the baseline of interpreters.create_ms)."""
import hashlib
import json
import time


def request_body(items=90):
    """A JSON body of about 10 KB."""
    return json.dumps([{"id": i, "name": f"item-{i}", "tags": ["new", "sale", f"group-{i % 9}"],
                        "price": round(i * 1.25, 2), "stock": i % 7, "note": "x" * 40}
                       for i in range(items)]).encode()


async def handle(body):
    """Parses the body, totals it in Python and hashes it: CPU-bound, no await of its own."""
    data = json.loads(body)
    total = 0.0
    for item in data:
        total += item["price"] * item["stock"] + len(item["name"]) + sum(len(tag) for tag in item["tags"])
    digest = hashlib.sha256(body)
    for item in data:  # a hash per item, as a handler signing each record would
        digest.update(hashlib.sha256(json.dumps(item, sort_keys=True).encode()).digest())
    return f"{digest.hexdigest()[:16]}:{total:.2f}"


def cpython_create_ms():
    """Milliseconds for CPython alone to make an isolated interpreter and import asyncio in it."""
    try:
        import _interpreters as interpreters  # 3.13+

        def create():
            return interpreters.create("isolated")

        run = interpreters.exec
    except ImportError:
        import _xxsubinterpreters as interpreters  # 3.12

        def create():
            return interpreters.create(isolated=True)

        run = interpreters.run_string
    start = time.perf_counter()
    interpreter = create()
    run(interpreter, "import asyncio")
    elapsed = time.perf_counter() - start
    interpreters.destroy(interpreter)
    return elapsed * 1000
