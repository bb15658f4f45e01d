package io.hookgateway.http;

/**
 * A chunk's size, as its chunk-size line declares it (RFC 9112 §7.1), passed on before any of its data: a chunk that
 * can never fit the hook's body limit is refused at once, rather than waited for.
 */
record DeclaredChunk(long size) {
}
