/// Runs both checks on a domain XML file: libvirt's schema, then libvirt's QEMU driver.
///
/// The schema check is required (its absence is an error naming the package); the driver check
/// is skipped, with the reason, where QEMU or virsh is not installed.
public enum DomainValidator {
    public static func validate(file: String) throws -> [ValidationResult] {
        var results = [try SchemaValidator.validate(file: file)]
        let (driver, reason) = EmbeddedQEMUDriver.locate()
        if let driver {
            results.append(try driver.check(file: file))
        } else {
            results.append(ValidationResult(check: "domxml-to-native", verdict: .skipped, detail: reason ?? "libvirt's QEMU driver is not available"))
        }
        return results
    }
}
