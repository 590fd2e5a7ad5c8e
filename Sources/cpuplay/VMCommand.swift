import ArgumentParser

/// `cpuplay vm`: sizes libvirt/KVM guests with many vCPUs, because graph tile views (Task
/// Manager's logical-processor tiles) appear only with 64 or more CPUs and most hosts have 8-16.
struct VMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vm",
        abstract: "Write and check libvirt domain XML for guests with up to hundreds of vCPUs, or boot "
            + "one and play in it.",
        discussion: """
        'vm xml' sizes a guest for --vcpus N on the chosen QEMU machine type: it checks N against \
        the machine's and KVM's limits, plans a CPU topology (sockets x dies x cores x threads = N), \
        adds what more than 255 vCPUs needs (split irqchip, Intel IOMMU with interrupt remapping \
        and EIM), the guest OS's enlightenments, hotplug, NUMA and host CPU placement, and explains \
        each choice in an XML comment and on stderr. 'vm check' runs libvirt's schema check and \
        libvirt's QEMU driver (domxml-to-native, no daemon needed) on a domain XML file. 'vm play' \
        boots a throwaway Linux guest from the same plan, plays the clip on all its vCPUs and shows \
        and measures what the guest's own /proc/stat drew.

        Typical use:
          cpuplay vm xml --vcpus 128 --os windows -o win128.xml --check
          virsh define win128.xml && virsh start cpuplay-windows-128
          cpuplay vm play --vcpus 16 --cores 8 --threads 2 --view
        """,
        subcommands: [VMXMLCommand.self, VMCheckCommand.self, VMPlayCommand.self]
    )
}
