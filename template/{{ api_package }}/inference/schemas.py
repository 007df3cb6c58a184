"""What /api/generate/stream accepts and streams, and what the model server sends it."""

from pydantic import BaseModel, Field, field_validator

from ..fields import Text

# The longest prompt accepted, in characters: a model's context window is limited, and every
# token of it is paid for.
MAX_PROMPT = 10_000


class GenerateRequest(BaseModel):
    prompt: Text = Field(min_length=1, max_length=MAX_PROMPT)

    @field_validator("prompt")
    @classmethod
    def _not_blank(cls, prompt: str) -> str:
        if not prompt.strip():
            raise ValueError("the prompt is blank")
        return prompt


class Token(BaseModel):
    """One piece of the answer (a `data:` event): append `text` to what came before."""

    text: str


class Done(BaseModel):
    """The answer is complete (`event: done`); `finish_reason` is the model's, e.g. `stop`
    or `length` (MODEL_MAX_TOKENS reached)."""

    finish_reason: str | None


# The model server's side: OpenAI's chat completion chunks, reduced to the fields read here.
class Delta(BaseModel):
    content: str | None = None


class Choice(BaseModel):
    delta: Delta = Delta()
    finish_reason: str | None = None


class ReportedError(BaseModel):
    message: str = "no message"


class ChatCompletionChunk(BaseModel):
    """One `data:` event of the model server's stream (an error replaces the choices)."""

    choices: list[Choice] = []
    error: ReportedError | None = None
