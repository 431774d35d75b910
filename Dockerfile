# syntax=docker/dockerfile:1
#
# soc2scan container image: the release binary (dynamically linked against glibc)
# on distroless.
#
#   docker build -t soc2scan .
#   docker run --rm -v "$PWD:/src" -w /src soc2scan scan .
#
# Stages: `build` compiles the release binary; `debug` is the same binary on
# distroless with a busybox shell (for `sh -c` in Kubernetes Jobs); the last stage,
# the default target, is the binary alone on distroless without a shell.

# Builder: the official Rust image on Debian 12. Its base (buildpack-deps) already
# has gcc, which is all the C parts need (ring, the crypto provider of rustls, and
# the bundled SQLite build with the cc crate), so neither cmake, Go nor libclang is
# installed.
FROM rust:1.95-bookworm AS build
ARG TARGETPLATFORM
WORKDIR /src
COPY . .
# The target directory is a cache mount (one per platform, so amd64 and arm64
# builds on one builder do not share objects), so the binary is copied out of it in
# the same step.
RUN --mount=type=cache,id=soc2scan-cargo-registry,target=/usr/local/cargo/registry,sharing=locked \
    --mount=type=cache,id=soc2scan-target-${TARGETPLATFORM},target=/src/target,sharing=locked \
    cargo build --release --locked --bin soc2scan \
    && install -D -m 0755 target/release/soc2scan /out/soc2scan \
    && /out/soc2scan --version

# The same binary with busybox (/busybox/sh), for pods whose command is a shell line.
FROM gcr.io/distroless/cc-debian12:debug-nonroot AS debug
LABEL org.opencontainers.image.title="soc2scan" \
      org.opencontainers.image.description="Policy-as-code scanner that maps infrastructure findings to SOC 2 Trust Services Criteria (with a busybox shell)" \
      org.opencontainers.image.source="https://github.com/soc2scan/soc2scan" \
      org.opencontainers.image.licenses="Apache-2.0"
ENV PATH=/usr/local/bin:/usr/bin:/bin:/busybox
COPY LICENSE /usr/share/doc/soc2scan/LICENSE
COPY --from=build /out/soc2scan /usr/local/bin/soc2scan
WORKDIR /src
ENTRYPOINT ["/usr/local/bin/soc2scan"]
CMD ["--help"]

# Final image: glibc, libgcc, CA certificates and tzdata from distroless, the
# binary and its licence; user nonroot (65532), no shell, no package manager.
FROM gcr.io/distroless/cc-debian12:nonroot
LABEL org.opencontainers.image.title="soc2scan" \
      org.opencontainers.image.description="Policy-as-code scanner that maps infrastructure findings to SOC 2 Trust Services Criteria" \
      org.opencontainers.image.source="https://github.com/soc2scan/soc2scan" \
      org.opencontainers.image.licenses="Apache-2.0"
COPY LICENSE /usr/share/doc/soc2scan/LICENSE
COPY --from=build /out/soc2scan /usr/local/bin/soc2scan
WORKDIR /src
ENTRYPOINT ["/usr/local/bin/soc2scan"]
CMD ["--help"]
