extension FleetPlan {
    /// A Slurm batch script: one task per node, the clip checked against the plan's checksum
    /// and broadcast to each node once (sbcast), one absolute start computed once for every task.
    ///
    /// A part that fails (its node lost, the clip missing or different there, its clock refused)
    /// does not stop the others: the job asks for --no-kill and --no-requeue, srun keeps the
    /// other tasks (--kill-on-bad-exit=0), and the script ends by naming the failed parts and
    /// exiting 1, so the job's state says a part failed.
    public func sbatchScript() -> String {
        """
        #!/bin/bash
        # cpuplay fleet: \(nodes) node(s)\(nodeList == nil ? " x \(cpusPerNode) CPUs" : "") draw one \(grid) picture \
        at \(rateText) fps (\(nodeList == nil ? "parts \(split)" : "parts sized by each node's CPUs")).
        # Submit from the folder holding \(clipName): sbatch cpuplay-fleet.sbatch
        #SBATCH --job-name=cpuplay-fleet
        #SBATCH --nodes=\(nodes)
        #SBATCH --ntasks=\(nodes)
        #SBATCH --ntasks-per-node=1
        \(allocationLines)#SBATCH --exclusive
        #SBATCH --no-kill
        #SBATCH --no-requeue
        #SBATCH --output=cpuplay-fleet-%j.log
        set -uo pipefail
        say() { echo "cpuplay-fleet: $*" >&2; }
        # The job runs in the folder it was submitted from (or sbatch --chdir): the plan's folder.
        here="$PWD"
        clip="$here/\(clipName)"
        export CPUPLAY_FLEET_SHA256=\(clipSHA256)
        local_clip="\(stageDirectory)/cpuplay-fleet-${SLURM_JOB_ID}.y4m"
        # The clip must be the one the plan was made from: a changed clip would not match its layout.
        sum=$(sha256sum "$clip") || { say "cannot read $clip"; exit 1; }
        if [ "${sum%% *}" != "$CPUPLAY_FLEET_SHA256" ]; then
            say "$clip changed since the plan was made (sha256 ${sum%% *}, the plan's $CPUPLAY_FLEET_SHA256);" \\
                "run cpuplay fleet plan again"
            exit 1
        fi
        # Stage the clip once on every node; a node it misses fails its own part below, the others play.
        sbcast --force "$clip" "$local_clip" || say "sbcast did not reach every node (above): those parts will fail"
        # Bind each task to its CPUs where the cluster can (task/affinity, task/cgroup); with
        # task/none every task keeps the CPUs its node's slurmd runs on.
        cpu_bind=()
        case "$(scontrol show config 2>/dev/null | awk '$1 == "TaskPlugin" {print $3}')" in
            *affinity*|*cgroup*) cpu_bind=(\(cpuBindOption)) ;;
            *) echo "note: TaskPlugin has no CPU binding: each task draws on the CPUs its node gives it" ;;
        esac
        # One absolute start for every task: +N on each task would start them as far apart as srun launched them.
        start_at=$(date -u -d "+\(startLeadSeconds) seconds" +%Y-%m-%dT%H:%M:%S.%3NZ)
        echo "frame 0 at $start_at"
        read -r -d '' task <<'TASK'
        \(taskScript)
        TASK
        srun --no-kill --kill-on-bad-exit=0 --exclusive "${cpu_bind[@]}" \\
            --ntasks=\(nodes) --ntasks-per-node=1 \(stepCPUs)\\
            /bin/bash -c "$task" cpuplay-fleet-task "$local_clip" "$start_at" "$here"
        srun_status=$?
        \(verdictLines)
        """
    }

    /// `#SBATCH` lines that size the allocation: the same CPUs on every node, or the listed nodes.
    var allocationLines: String {
        guard let nodeList else { return "#SBATCH --cpus-per-task=\(cpusPerNode)\n" }
        return "#SBATCH --nodelist=\(nodeList.nodes.map(\.name).joined(separator: ","))\n"
    }

    /// The step's CPUs per task: the same on every node, or (nodes that differ) the whole node.
    var stepCPUs: String { nodeList == nil ? "--cpus-per-task=\(cpusPerNode) " : "" }

    /// The binding with task/affinity: whole cores, or none when each task takes its whole (exclusive) node.
    var cpuBindOption: String { nodeList == nil ? "--cpu-bind=cores" : "--cpu-bind=none" }

    /// What each task runs: check the staged clip, then play its part from the one start time.
    var taskScript: String {
        """
        clip=$1 start_at=$2 here=$3
        \(partSelection)
        say() { echo "cpuplay-fleet: part $part on ${SLURMD_NODENAME:-$(hostname)}: $*" >&2; }
        [ -f "$clip" ] || { say "the clip is not on this node ($clip): sbcast did not reach it"; exit 3; }
        sum=$(sha256sum "$clip") && [ "${sum%% *}" = "$CPUPLAY_FLEET_SHA256" ] ||
            { say "the clip on this node ($clip) is not the plan's (sha256 ${sum%% *})"; exit 3; }
        exec cpuplay play "$clip" $where --start-at "$start_at" --frame-socket none \(clockArguments.dropFirst()) \\
            --report "$here/cpuplay-report-$SLURM_JOB_ID-$part.json"
        """
    }

    /// The task's part: Slurm's rank (--part auto), or, for listed nodes, the node's own line.
    var partSelection: String {
        guard let nodeList else { return "part=$SLURM_PROCID where=\"--part auto --parts \(split)\"" }
        let cases = nodeList.nodes.enumerated().map { i, node in
            "    \(node.name)) part=\(i) where=\"--region \(regions[i])\" ;;"
        }
        let other = "    *) echo \"cpuplay-fleet: node $SLURMD_NODENAME is not in the plan\" >&2; exit 3 ;;"
        return (["case $SLURMD_NODENAME in"] + cases + [other, "esac"]).joined(separator: "\n")
    }

    /// After the step: name every part without a report (and its node), exit 1 if any.
    var verdictLines: String {
        let names = nodeList.map { "names=(\($0.nodes.map(\.name).joined(separator: " ")))" }
            ?? "mapfile -t names < <(scontrol show hostnames \"$SLURM_JOB_NODELIST\")"
        return """
        \(names)
        failed=()
        for ((p = 0; p < \(nodes); p++)); do
            [ -s "$here/cpuplay-report-$SLURM_JOB_ID-$p.json" ] || failed+=("$p (${names[$p]:-node $p})")
        done
        if [ ${#failed[@]} -gt 0 ]; then
            say "part(s) ${failed[*]} failed (no report; srun status $srun_status); the other parts played to the end"
            exit 1
        fi
        echo "cpuplay-fleet: all \(nodes) parts played; reports: cpuplay-report-$SLURM_JOB_ID-*.json"

        """
    }
}
