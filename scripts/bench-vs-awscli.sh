#!/usr/bin/env bash
# bench-vs-awscli.sh: the IAM day-one steps typed by hand with AWS CLI v2,
# against `iam-baseline apply --non-interactive` doing the same, both against
# a fresh cmd/iamsim on loopback, in one run on one machine; and the ratio.
#
# usage: scripts/bench-vs-awscli.sh [LATENCY ...]     (default: 0ms 100ms)
#   LATENCY is iamsim's --latency, added to every request (Go duration).
# environment:
#   AWS_CLI     AWS CLI v2 binary (default /usr/bin/aws; a pip-installed v1
#               on PATH is not what users of v2 run and is refused)
#   BENCH_RUNS  runs per latency (default 5); the median is reported
#
# Every run starts a new iamsim (a fresh account) for each side. Timed:
#   aws-cli  the eight calls a person types (create-group,
#            attach-group-policy, create-user, create-login-profile,
#            add-user-to-group, update-account-password-policy,
#            create-virtual-mfa-device --outfile, enable-mfa-device), plus the
#            stand-in for the phone (scripts/totp, a prebuilt Go binary,
#            about a millisecond) that reads the two codes off the seed file;
#   plan     `iam-baseline plan` on the fresh account (reads only);
#   apply    `iam-baseline apply --non-interactive --yes --password-file F
#            --mfa-secret-file G` on a fresh account: the same end state.
# Times are wall clock from bash's $EPOCHREALTIME (microseconds), process
# start-up included on both sides.
set -euo pipefail

cd "$(dirname "$0")/.."
AWS_CLI=${AWS_CLI:-/usr/bin/aws}
RUNS=${BENCH_RUNS:-5}
LATENCIES=("$@")
[ ${#LATENCIES[@]} -gt 0 ] || LATENCIES=(0ms 100ms)

version=$("$AWS_CLI" --version 2>&1 || true)
case "$version" in
aws-cli/2.*) ;;
*)
	echo "bench: $AWS_CLI is not AWS CLI v2 ($version); set AWS_CLI" >&2
	exit 2
	;;
esac

work=$(mktemp -d)
sim_pid=""
cleanup() {
	if [ -n "$sim_pid" ]; then
		kill "$sim_pid" 2>/dev/null || true
		wait "$sim_pid" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

echo "bench: building cmd/iamsim, cmd/iam-baseline and scripts/totp" >&2
go build -o "$work/bin/iamsim" ./cmd/iamsim
go build -o "$work/bin/iam-baseline" ./cmd/iam-baseline
go build -o "$work/bin/totp" ./scripts/totp

# A clean HOME: no profile, config or credentials of the person running this.
export HOME="$work/home"
mkdir -p "$HOME"
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL AWS_ENDPOINT_URL_IAM AWS_ENDPOINT_URL_STS
export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
export AWS_SECRET_ACCESS_KEY=iamsim-secret-not-checked
export AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1
export AWS_PAGER="" AWS_CLI_AUTO_PROMPT=off NO_COLOR=1

endpoint=""
# start_sim LATENCY: a fresh simulated account on a free loopback port.
start_sim() {
	: >"$work/sim.env"
	"$work/bin/iamsim" --addr 127.0.0.1:0 --latency "$1" >"$work/sim.env" 2>"$work/sim.log" &
	sim_pid=$!
	for _ in $(seq 1 200); do
		if grep -q '^export AWS_ENDPOINT_URL=' "$work/sim.env"; then
			endpoint=$(sed -n 's/^export AWS_ENDPOINT_URL=//p' "$work/sim.env")
			return 0
		fi
		sleep 0.01
	done
	echo "bench: iamsim did not start:" >&2
	cat "$work/sim.log" >&2
	exit 1
}

stop_sim() {
	kill "$sim_pid" 2>/dev/null || true
	wait "$sim_pid" 2>/dev/null || true
	sim_pid=""
}

now_us() { echo "${EPOCHREALTIME/./}"; }

aws() { "$AWS_CLI" --endpoint-url "$endpoint" --output text "$@"; }

# The day-one steps as a person types them.
aws_cli_steps() {
	local seed="$1" serial codes
	aws iam create-group --group-name admin >/dev/null
	aws iam attach-group-policy --group-name admin --policy-arn arn:aws:iam::aws:policy/AdministratorAccess >/dev/null
	aws iam create-user --user-name administrator >/dev/null
	aws iam create-login-profile --user-name administrator --password 'Bench-Temporary-Passw0rd!' --password-reset-required >/dev/null
	aws iam add-user-to-group --group-name admin --user-name administrator >/dev/null
	aws iam update-account-password-policy --minimum-password-length 14 --require-symbols --require-numbers \
		--require-uppercase-characters --require-lowercase-characters --allow-users-to-change-password \
		--password-reuse-prevention 24 >/dev/null
	serial=$(aws iam create-virtual-mfa-device --virtual-mfa-device-name administrator \
		--outfile "$seed" --bootstrap-method Base32StringSeed --query VirtualMFADevice.SerialNumber)
	codes=$("$work/bin/totp" "$seed")
	aws iam enable-mfa-device --user-name administrator --serial-number "$serial" \
		--authentication-code1 "${codes% *}" --authentication-code2 "${codes#* }" >/dev/null
}

# check_baseline: the account holds what both sides are meant to make.
check_baseline() {
	local got
	got=$(aws iam list-mfa-devices --user-name administrator --query 'length(MFADevices)')
	[ "$got" = 1 ] || { echo "bench: administrator has $got MFA devices, want 1" >&2; exit 1; }
	got=$(aws iam list-attached-group-policies --group-name admin --query 'AttachedPolicies[0].PolicyName')
	[ "$got" = AdministratorAccess ] || { echo "bench: admin group policy $got" >&2; exit 1; }
	got=$(aws iam get-group --group-name admin --query 'Users[0].UserName')
	[ "$got" = administrator ] || { echo "bench: admin group members $got" >&2; exit 1; }
	got=$(aws iam get-account-password-policy --query 'PasswordPolicy.MinimumPasswordLength')
	[ "$got" = 14 ] || { echo "bench: password policy length $got" >&2; exit 1; }
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }
ms() { awk -v us="$1" 'BEGIN {printf "%.1f ms", us/1000}'; }

printf '%-8s %-10s %s\n' latency side "per run (ms), median" >&2
for latency in "${LATENCIES[@]}"; do
	cli_times=() plan_times=() apply_times=()
	for run in $(seq 1 "$RUNS"); do
		# The AWS CLI, on a fresh account.
		start_sim "$latency"
		rm -f "$work/seed.txt"
		t0=$(now_us)
		aws_cli_steps "$work/seed.txt"
		t1=$(now_us)
		cli_times+=($((t1 - t0)))
		check_baseline
		stop_sim

		# iam-baseline, on another fresh account.
		start_sim "$latency"
		rm -f "$work/password" "$work/mfa.uri"
		t0=$(now_us)
		"$work/bin/iam-baseline" plan --endpoint-url "$endpoint" --no-color >/dev/null
		t1=$(now_us)
		"$work/bin/iam-baseline" apply --endpoint-url "$endpoint" --non-interactive --yes --no-color \
			--password-file "$work/password" --mfa-secret-file "$work/mfa.uri" >/dev/null 2>"$work/apply.err" ||
			{ cat "$work/apply.err" >&2; exit 1; }
		t2=$(now_us)
		plan_times+=($((t1 - t0)))
		apply_times+=($((t2 - t1)))
		check_baseline
		stop_sim
	done
	cli_med=$(printf '%s\n' "${cli_times[@]}" | median)
	plan_med=$(printf '%s\n' "${plan_times[@]}" | median)
	apply_med=$(printf '%s\n' "${apply_times[@]}" | median)
	list() { for t in "$@"; do printf '%s ' "$(awk -v us="$t" 'BEGIN {printf "%.1f", us/1000}')"; done; }
	printf '%-8s %-10s %s\n' "$latency" aws-cli "$(list "${cli_times[@]}")" >&2
	printf '%-8s %-10s %s\n' "$latency" plan "$(list "${plan_times[@]}")" >&2
	printf '%-8s %-10s %s\n' "$latency" apply "$(list "${apply_times[@]}")" >&2
	ratio=$(awk -v a="$cli_med" -v b="$apply_med" 'BEGIN {printf "%.1f", a/b}')
	echo "latency $latency: aws-cli steps $(ms "$cli_med"), iam-baseline plan $(ms "$plan_med"), apply $(ms "$apply_med"); apply is ${ratio}x faster (medians of $RUNS runs)"
done
