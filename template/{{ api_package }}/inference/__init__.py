"""Inference: a prompt in, a downstream model's answer streamed back as it is generated.

The shape of an LLM endpoint: the model server produces text a token at a time, and the
client sees each piece as server-sent events as soon as it exists, instead of waiting
seconds for the whole answer. One open request costs the app a coroutine, not a worker.
"""
