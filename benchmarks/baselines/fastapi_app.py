"""The bare FastAPI baseline, served by uvicorn with the apps' worker count: one route that
answers `/health` with a JSON document, and nothing else. The generated FastAPI app's `/health`
is measured against it; starlette_app.py's routes show what FastAPI's own layers cost."""

from fastapi import FastAPI

app = FastAPI()


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
