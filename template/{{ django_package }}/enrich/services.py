"""Calling the downstream services concurrently, failing clearly when one of them fails."""

import asyncio
from collections.abc import Mapping

import httpx2


class DownstreamError(Exception):
    """A downstream service failed; the message names it and says how."""

    def __init__(self, service: str, reason: str) -> None:
        super().__init__(f"service {service!r} failed: {reason}")
        self.service = service


async def enrich(
    *, client: httpx2.AsyncClient, services: Mapping[str, str], text: str, timeout: float
) -> dict[str, object]:
    """POST the text to every service at once; return their JSON answers by service name.

    The first failure cancels the calls still in flight (asyncio.TaskGroup) and is raised.
    """
    try:
        async with asyncio.TaskGroup() as group:
            tasks = {
                name: group.create_task(_call(client, name, url, text, timeout))
                for name, url in services.items()
            }
    except* DownstreamError as failures:
        raise failures.exceptions[0] from None
    return {name: task.result() for name, task in tasks.items()}


async def _call(
    client: httpx2.AsyncClient, name: str, url: str, text: str, timeout: float
) -> object:
    try:
        response = await client.post(url, json={"text": text}, timeout=timeout)
        response.raise_for_status()
        answer: object = response.json()
        return answer
    except httpx2.TimeoutException:
        raise DownstreamError(name, f"no answer within {timeout:g}s") from None
    except httpx2.HTTPStatusError as error:
        raise DownstreamError(name, f"answered {error.response.status_code}") from None
    except httpx2.HTTPError as error:
        raise DownstreamError(name, f"unreachable ({type(error).__name__})") from None
    except ValueError:
        raise DownstreamError(name, "answered something that is not JSON") from None
