"""Enrich: one request, several downstream services called concurrently.

The shape of an IO-bound endpoint (payments, CRMs, AI/LLM APIs): the request waits on the
network, not the CPU, so the calls run at the same time (an async view) and the slowest one
sets the latency, not their sum.
"""
