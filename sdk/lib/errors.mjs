// weft-bundle: owns the one error type the build tool reports. Its message is a single line a
// user can act on; the CLI prints it on stderr and exits non-zero. Anything else thrown is a bug.

export class BundleError extends Error {
  constructor(message) {
    super(message.replace(/\s*\n\s*/g, " "));
    this.name = "BundleError";
  }
}
