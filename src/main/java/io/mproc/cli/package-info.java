/**
 * The command line behind {@code run.sh}: {@code demo} (the seed examples on an embedded
 * cluster) and {@code bench} (the figures beside Python's). Uses only the public API
 * ({@code io.mproc}) and picocli.
 */
package io.mproc.cli;
