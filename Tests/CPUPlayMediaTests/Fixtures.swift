import Foundation
import Testing
@testable import CPUPlayMedia

