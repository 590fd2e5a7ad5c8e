/// An sRGB colour, and the YUV (BT.709, limited range) value the encoder is given for it.
///
/// Styles are specified in RGB, as the viewers they imitate are; frames are drawn straight
/// into YUV 4:2:0 so no colour conversion pass runs per frame.
public struct RGBColor: Sendable, Equatable {
    public var red: UInt8, green: UInt8, blue: UInt8

    public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// `a` at t = 0, `b` at t = 1.
    public static func mix(_ a: RGBColor, _ b: RGBColor, _ t: Double) -> RGBColor {
        func m(_ x: UInt8, _ y: UInt8) -> UInt8 { UInt8((Double(x) + (Double(y) - Double(x)) * t).rounded()) }
        return RGBColor(m(a.red, b.red), m(a.green, b.green), m(a.blue, b.blue))
    }

    /// BT.709 limited range (Y 16-235, Cb/Cr 16-240), what the output streams are tagged with.
    public var yuv: YUVColor {
        let r = Double(red) / 255, g = Double(green) / 255, b = Double(blue) / 255
        let y = 0.2126 * r + 0.7152 * g + 0.0722 * b
        let cb = (b - y) / 1.8556, cr = (r - y) / 1.5748
        func q(_ v: Double) -> UInt8 { UInt8(max(0, min(255, v.rounded()))) }
        return YUVColor(y: q(16 + 219 * y), u: q(128 + 224 * cb), v: q(128 + 224 * cr))
    }

    public static let white = RGBColor(255, 255, 255)
    public static let black = RGBColor(0, 0, 0)
}

/// One pixel's value in the Y, Cb and Cr planes.
public struct YUVColor: Sendable, Equatable {
    public var y: UInt8, u: UInt8, v: UInt8
    public init(y: UInt8, u: UInt8, v: UInt8) {
        self.y = y
        self.u = u
        self.v = v
    }
}
