"""Seed a rendered FastAPI project's database with 20 posts by 20 authors (benchmarks only).

Usage: python seed_fastapi.py <package>  (with the project on PYTHONPATH and DATABASE_URL set)
"""

import asyncio
import importlib
import sys

from sqlmodel.ext.asyncio.session import AsyncSession


async def seed(package: str) -> None:
    config = importlib.import_module(f"{package}.config")
    database = importlib.import_module(f"{package}.database")
    security = importlib.import_module(f"{package}.auth.security")
    users = importlib.import_module(f"{package}.users.models")
    posts = importlib.import_module(f"{package}.posts.models")
    engine = database.create_engine(config.get_settings())
    hashed = security.hash_password("x-pass-12345")
    async with AsyncSession(engine) as session:
        for number in range(20):
            author = users.User(email=f"author{number}@example.com", hashed_password=hashed)
            session.add(author)
            await session.flush()
            session.add(
                posts.Post(
                    title=f"Post {number}",
                    content="Lorem ipsum. " * 20,
                    category="tech",
                    published=True,
                    author_id=author.id,
                )
            )
        await session.commit()
    await engine.dispose()


if __name__ == "__main__":
    asyncio.run(seed(sys.argv[1]))
