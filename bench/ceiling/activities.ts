// Do-nothing activities of the saga-shape ceiling: the cost of an activity round trip and nothing else.
export const ceilingActivities = {
  /** Stands in for holdTransferFunds; does nothing, so there is nothing to undo. */
  async benchHold(_input: { key: string }): Promise<void> {},
  /** Stands in for postTransfer; does nothing. */
  async benchPost(_input: { key: string }): Promise<void> {},
};

export type CeilingActivities = typeof ceilingActivities;
