#!/usr/bin/env bash
# Two "hosts" on one machine: network namespaces joined by a veth pair, for running a
# gateway and the load generator with a real network link between them (docs/wire.md,
# "Across a network"). Needs root and iproute2; netem delay needs the sch_netem module.
#
#   netns-pair.sh up   NAME [DELAY]   # NAME-gw (10.77.0.1) and NAME-lg (10.77.0.2); DELAY e.g. 200us
#   netns-pair.sh down NAME
#   netns-pair.sh exec NAME gw|lg CMD...
set -Eeuo pipefail
die() { echo "netns-pair.sh: $*" >&2; exit 1; }
[ $# -ge 2 ] || die "usage: netns-pair.sh up|down|exec NAME ..."
action=$1 name=$2
shift 2
gw="${name}-gw" lg="${name}-lg"
# interface names are limited to 15 bytes: derive short ones from NAME
tag=$(printf '%s' "$name" | cksum | cut -c1-6)
veth_gw="hpg${tag}" veth_lg="hpl${tag}"

case "$action" in
  up)
    delay=${1:-}
    command -v ip >/dev/null || die "ip (iproute2) is not installed"
    [ "$(id -u)" -eq 0 ] || die "network namespaces need root"
    ip netns add "$gw"
    ip netns add "$lg"
    ip link add "$veth_gw" type veth peer name "$veth_lg"
    ip link set "$veth_gw" netns "$gw"
    ip link set "$veth_lg" netns "$lg"
    ip -n "$gw" addr add 10.77.0.1/24 dev "$veth_gw"
    ip -n "$lg" addr add 10.77.0.2/24 dev "$veth_lg"
    for ns in "$gw" "$lg"; do ip -n "$ns" link set lo up; done
    ip -n "$gw" link set "$veth_gw" up
    ip -n "$lg" link set "$veth_lg" up
    if [ -n "$delay" ]; then
      # one-way delay on each side: a round trip pays it twice
      ip netns exec "$gw" tc qdisc add dev "$veth_gw" root netem delay "$delay"
      ip netns exec "$lg" tc qdisc add dev "$veth_lg" root netem delay "$delay"
    fi
    echo "gw=$gw lg=$lg gw_addr=10.77.0.1 lg_addr=10.77.0.2 gw_dev=$veth_gw lg_dev=$veth_lg"
    ;;
  down)
    ip netns del "$gw" 2>/dev/null || true
    ip netns del "$lg" 2>/dev/null || true
    ;;
  exec)
    side=${1:-}; shift || true
    case "$side" in gw) ns=$gw ;; lg) ns=$lg ;; *) die "exec: expected gw or lg" ;; esac
    exec ip netns exec "$ns" "$@"
    ;;
  *) die "unknown action $action (up, down, exec)" ;;
esac
