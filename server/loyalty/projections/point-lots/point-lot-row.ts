/**
 * One row of the point-lots read model. Like the balance, a lot counts as expired here once its LotExpired event
 * arrives; the queries also leave out lots whose `expiresAt` has passed.
 */
export type PointLotRow = {
  lotId: string;
  customerId: string;
  points: number;
  remaining: number;
  earnedAt: Date;
  expiresAt: Date;
  expired: boolean;
};
