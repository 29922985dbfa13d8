import { isConditionFailure } from '../catalog/product-repository.ts';
import type { DynamoClient } from '../store/dynamo-client.ts';
import type { TableNames } from '../store/dynamo.ts';
import type { Reservation, ReservationStatus } from './reservation.ts';

export function createReservationRepository(db: DynamoClient, tables: TableNames) {
  const T = tables.reservations;
  return {
    async get(orderId: number): Promise<Reservation | undefined> {
      const res = await db.get({ TableName: T, Key: { order_id: orderId }, ConsistentRead: true });
      return res.Item as Reservation | undefined;
    },

    /** False when a reservation for that order already exists. */
    async create(r: Reservation): Promise<boolean> {
      try {
        await db.put({ TableName: T, Item: r, ConditionExpression: 'attribute_not_exists(order_id)' });
        return true;
      } catch (err) {
        if (isConditionFailure(err)) return false;
        throw err;
      }
    },

    /** Moves the status only from one of `from`; returns the new record, or undefined if it was elsewhere. */
    async transition(
      orderId: number,
      from: ReservationStatus[],
      to: ReservationStatus,
      extra: Partial<Reservation>,
      now: string,
    ): Promise<Reservation | undefined> {
      const sets = Object.keys(extra).map((k, i) => `#x${i} = :x${i}`);
      try {
        const res = await db.update({
          TableName: T,
          Key: { order_id: orderId },
          UpdateExpression: `SET ${['#s = :to', 'updated_at = :now', ...sets].join(', ')}`,
          ConditionExpression: `#s IN (${from.map((_, i) => `:f${i}`).join(', ')})`,
          ExpressionAttributeNames: {
            '#s': 'status',
            ...Object.fromEntries(Object.keys(extra).map((k, i) => [`#x${i}`, k])),
          },
          ExpressionAttributeValues: {
            ':to': to,
            ':now': now,
            ...Object.fromEntries(from.map((f, i) => [`:f${i}`, f])),
            ...Object.fromEntries(Object.values(extra).map((v, i) => [`:x${i}`, v])),
          },
          ReturnValues: 'ALL_NEW',
        });
        return res.Attributes as Reservation;
      } catch (err) {
        if (isConditionFailure(err)) return undefined;
        throw err;
      }
    },

    /** Reservations still holding stock past their deadline (a scan: the table only holds open and recent orders). */
    async findExpired(nowMs: number): Promise<Reservation[]> {
      const out: Reservation[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const res = await db.scan({
          TableName: T,
          FilterExpression: '#s IN (:a, :b) AND expires_at < :now',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':a': 'reserving', ':b': 'reserved', ':now': nowMs },
          ExclusiveStartKey: start,
        });
        out.push(...((res.Items ?? []) as Reservation[]));
        start = res.LastEvaluatedKey;
      } while (start);
      return out;
    },
  };
}

export type ReservationRepository = ReturnType<typeof createReservationRepository>;
