/** The five events of a tracing channel, each handled by `on(event)`: a subscriber that hears them all. */
export function everyEvent(on: (event: string) => (message: unknown) => void) {
  return {
    start: on('start'),
    end: on('end'),
    asyncStart: on('asyncStart'),
    asyncEnd: on('asyncEnd'),
    error: on('error'),
  };
}
