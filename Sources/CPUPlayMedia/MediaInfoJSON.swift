import CPUPlayCore

/// `cpuplay info --json`: the same facts as the table, in the one JSON convention.
extension MediaInfo: JSONDocument {
    public static let schema = "media-info"
    public static let schemaVersion = 1

    // Kept: the keys carry units (`_s`, `_hz`) and names the properties do not.
    enum CodingKeys: String, CodingKey {
        case input, container, codec, width, height, pixelFormat = "pixel_format", colorRange = "color_range"
        case fps, frameRate = "frame_rate", duration = "duration_s", frames, declaredFrames = "frames_declared"
        case audioStreams = "audio_streams"
    }

    /// Hand-written: `fps` is derived from the rate, and an unknown figure is null.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(path, forKey: .input)
        try c.encode(container, forKey: .container)
        try c.encode(codec, forKey: .codec)
        try c.encode(width, forKey: .width)
        try c.encode(height, forKey: .height)
        try c.encode(pixelFormat, forKey: .pixelFormat)
        try c.encode(colorRange, forKey: .colorRange)
        try c.encodeFinite(frameRate?.framesPerSecond, forKey: .fps)
        try c.encodeOrNull(frameRate?.description, forKey: .frameRate)
        try c.encodeFinite(durationSeconds, forKey: .duration)
        try c.encodeOrNull(frameCount, forKey: .frames)
        try c.encodeOrNull(declaredFrameCount, forKey: .declaredFrames)
        try c.encode(audioStreams, forKey: .audioStreams)
    }
}

extension AudioStreamInfo: Encodable {
    // Kept: the keys carry units (`_s`, `_hz`) and names the properties do not.
    enum CodingKeys: String, CodingKey {
        case index, codec, sampleRate = "sample_rate_hz", channels, channelLayout = "channel_layout"
        case duration = "duration_s", language
    }

    /// Hand-written: an unknown layout or language is null (synthesized Encodable drops a nil key).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(index, forKey: .index)
        try c.encode(codec, forKey: .codec)
        try c.encode(sampleRate, forKey: .sampleRate)
        try c.encode(channels, forKey: .channels)
        try c.encodeOrNull(channelLayout, forKey: .channelLayout)
        try c.encodeFinite(durationSeconds, forKey: .duration)
        try c.encodeOrNull(language, forKey: .language)
    }
}
