# Sourced by docker/smoke-test.sh and docker/stand-ins/build.sh: picks the container tools.
#
# With a Docker engine that answers (`docker info`), both build and run with docker. Without one (CI here), images are
# built with buildah and run with podman, in a store of their own (HOOK_GATEWAY_STORE, by default under
# ${XDG_CACHE_HOME:-$HOME/.cache}/hook-gateway), so the test neither meets nor changes anyone's podman images and
# settings. STORAGE_DRIVER=overlay|vfs chooses the storage driver; by default overlay where it can be mounted.
#
# Sets: ENGINE (docker or podman), engine (the command that runs, imports and inspects images), run_options (for
# each `run`) and build (the command that builds one from a Dockerfile, with its options).

if [ -z "${ENGINE:-}" ]; then
  if command -v docker >/dev/null && timeout 20 docker info >/dev/null 2>&1; then ENGINE=docker; else ENGINE=podman; fi
fi
case "$ENGINE" in
  docker)
    engine=(docker)
    run_options=()
    build=(docker build)
    ;;
  podman)
    HOOK_GATEWAY_STORE="${HOOK_GATEWAY_STORE:-${XDG_CACHE_HOME:-$HOME/.cache}/hook-gateway/containers}"
    # overlay where the kernel lets root mount it: a layer holds what its step changed. Otherwise vfs, which works
    # anywhere but copies the whole tree for every step (gigabytes for one build, and minutes).
    if [ -z "${STORAGE_DRIVER:-}" ]; then
      STORAGE_DRIVER=vfs
      if [ "$(id -u)" -eq 0 ] && probe="$(mktemp -d)"; then
        mkdir -p "$probe/lower" "$probe/upper" "$probe/work" "$probe/merged"
        if mount -t overlay overlay -o "lowerdir=$probe/lower,upperdir=$probe/upper,workdir=$probe/work" \
            "$probe/merged" 2>/dev/null; then
          umount "$probe/merged"
          STORAGE_DRIVER=overlay
        fi
        rm -rf "$probe"
      fi
    fi
    # One store per driver: a store made with one cannot be opened with the other. Its run-time state goes where
    # such state goes, on a short path (podman refuses a runroot over 50 characters).
    # Named after the store, so that two stores never share one.
    runroot="${XDG_RUNTIME_DIR:-$([ "$(id -u)" -eq 0 ] && echo /run || echo /tmp)}"
    runroot="$runroot/hook-gateway-$(cksum <<<"$HOOK_GATEWAY_STORE" | cut -d' ' -f1)-$STORAGE_DRIVER"
    store=(--storage-driver "$STORAGE_DRIVER" --root "$HOOK_GATEWAY_STORE/$STORAGE_DRIVER" --runroot "$runroot")
    engine=(podman "${store[@]}")
    run_options=(--runtime runc)
    # chroot isolation and the host's network: no user namespaces or network namespaces needed to build, and the
    # builder stage reaches Maven Central as the host does. --pull=never: the base images are local (the stand-ins).
    # --layers keeps each step's layer, so the dependency layer is reused; the docker format keeps HEALTHCHECK,
    # which the OCI image format has no field for.
    build=(buildah "${store[@]}" bud --pull=never --isolation chroot --network host --layers --format docker)
    # The settings podman reads instead of /etc/containers/containers.conf: a sandbox may not let runc raise the
    # process limits podman sets by default ("error setting rlimit type 7").
    mkdir -p "$HOOK_GATEWAY_STORE"
    printf '[containers]\ndefault_ulimits = []\n' >"$HOOK_GATEWAY_STORE/containers.conf"
    export CONTAINERS_CONF="$HOOK_GATEWAY_STORE/containers.conf"
    ;;
  *)
    echo "ENGINE must be docker or podman, not '$ENGINE'" >&2
    exit 2
    ;;
esac
