/// The settings library messages name, one key each (the command line's table gives each its
/// option). Grouped by the library that refuses them; a key two libraries share is one key.
extension Setting {
    // Playback and layout (engine, playback, guest host).
    public static let allowedCPUs = Setting("CPU set"), grid = Setting("grid"), layout = Setting("layout")
    public static let overcommit = Setting("overcommit"), pwmSlices = Setting("pwm slices")
    public static let duration = Setting("duration"), frameSocket = Setting("frame socket")
    public static let correct = Setting("correct"), fps = Setting("fps"), bootTimeout = Setting("boot timeout")
    public static let bootRetryAfter = Setting("boot retry after")
    public static let numbers = Setting("numbers"), viewerSync = Setting("viewer sync"), record = Setting("record")
    public static let overwrite = Setting("overwrite")

    // Measuring.
    public static let noStressNG = Setting("no-stress-ng"), maxError = Setting("max error")
    public static let jsonReport = Setting("JSON report"), htmlReport = Setting("HTML report")

    // Rendering.
    public static let size = Setting("size"), style = Setting("style"), source = Setting("source")
    public static let rawFrames = Setting("raw frames")

    // Virtual machines.
    public static let vcpus = Setting("vcpus"), current = Setting("current"), preset = Setting("preset")
    public static let domainName = Setting("name"), memory = Setting("memory"), numaNodes = Setting("numa nodes")
    public static let sockets = Setting("sockets"), dies = Setting("dies"), cores = Setting("cores")
    public static let threads = Setting("threads"), windowsEdition = Setting("windows edition")
    public static let machine = Setting("machine"), disk = Setting("disk"), diskBus = Setting("disk bus")
    public static let cdrom = Setting("cdrom"), kernel = Setting("kernel"), initrd = Setting("initrd")
    public static let cmdline = Setting("cmdline"), network = Setting("network"), serial = Setting("serial")
    public static let hostCPUs = Setting("host cpus"), pin = Setting("pin"), noPin = Setting("no pin")
    public static let pinHousekeeping = Setting("pin housekeeping"), guestViewer = Setting("guest viewer")
    public static let keepXML = Setting("keep xml"), offline = Setting("offline")
    public static let noNohzFull = Setting("no nohz_full")

    // Fleets.
    public static let nodes = Setting("node count"), cpusPerNode = Setting("CPUs per node")
    public static let startLead = Setting("start lead"), image = Setting("image"), instances = Setting("instances")
    public static let parts = Setting("parts"), part = Setting("part"), region = Setting("region")
    public static let startTime = Setting("start time"), prometheus = Setting("Prometheus URL")
    public static let fleetLayout = Setting("fleet layout"), nodesFile = Setting("nodes file")
    public static let maxClockError = Setting("max clock error"), ignoreClockSync = Setting("ignore clock sync")
}
