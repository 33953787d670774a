"""The Python half of the free-threaded benchmarks: the interpreters group's CPU-bound handler, and
the same with each body validated by pydantic (when this Python has it)."""
from jawait_bench_interpreters_py import handle

try:
    import pydantic
except ImportError:
    pydantic = None

if pydantic is not None:

    class Item(pydantic.BaseModel):
        id: int
        name: str
        tags: list[str]
        price: float
        stock: int
        note: str

    ITEMS = pydantic.TypeAdapter(list[Item])


async def handle_validated(body):
    """Validates the body with pydantic, then handles it as handle() does."""
    ITEMS.validate_json(body)
    return await handle(body)


def has_pydantic():
    return pydantic is not None
