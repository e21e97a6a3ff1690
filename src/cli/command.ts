/** A CLI subcommand: `run` receives the arguments after the subcommand's name. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly help: string;
  run(args: readonly string[]): Promise<number>;
}
