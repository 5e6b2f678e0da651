// One error type for everything `charts pull` can refuse: the message is the whole story on one
// line (which chart, what was expected, what was found, what to do), so a CLI prints it as is.

export class ChartRepoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChartRepoError';
  }
}
