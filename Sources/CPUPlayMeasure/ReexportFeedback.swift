// /proc/stat reading (CPUTimes, ProcStatSnapshot, ProcStatSampler) lives in CPUPlayFeedback, below
// the engine, so the guest player can read it without FFmpeg; measuring code keeps using it
// through this module as before.
@_exported import CPUPlayFeedback

extension MeasureError {
    /// /proc/stat failures surface from measuring code as `unreadableSource`.
    public init(_ error: ProcStatError) { self = .unreadableSource(error.description) }
}
