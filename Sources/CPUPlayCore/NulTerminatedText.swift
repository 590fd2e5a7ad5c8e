extension String {
    /// The text of a C buffer filled up to its NUL (or its end), read as UTF-8 with invalid
    /// bytes replaced: `String(cString:)` on an array is deprecated and reads past a buffer
    /// without a NUL.
    public init(nulTerminated buffer: [CChar]) {
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        self.init(decoding: bytes, as: UTF8.self)
    }
}
