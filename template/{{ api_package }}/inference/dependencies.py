"""The model's answer, opened before the response starts.

Opening it in a dependency, not in the streaming function, lets a model server that is down,
slow or failing be answered with a JSON error (503, 504, 502) while the status can still
change; once the stream has started, failures become `error` events instead.
"""

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from typing import Annotated

from fastapi import Depends, HTTPException

from ..auth.dependencies import CurrentUser
from ..dependencies import HttpClientDep, SettingsDep
from .schemas import GenerateRequest
from .service import Completion, ModelError, open_completion


async def open_model_stream(
    # Signed-in users only: every answer costs model time. The user is checked first, so an
    # anonymous request never reaches the model server.
    user: CurrentUser,
    data: GenerateRequest,
    client: HttpClientDep,
    settings: SettingsDep,
) -> AsyncIterator[Completion]:
    async with AsyncExitStack() as stack:
        try:
            completion = await stack.enter_async_context(
                open_completion(
                    client=client, settings=settings, prompt=data.prompt, user=str(user.id)
                )
            )
        except ModelError as error:
            raise HTTPException(error.status_code, str(error)) from None
        # Held open while the events stream; closed after the last one, or when the client
        # disconnects (FastAPI exits the dependency once the response is over).
        yield completion


CompletionDep = Annotated[Completion, Depends(open_model_stream)]
