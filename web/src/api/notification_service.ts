// Generated from openapi/notification_service.json by `make web-types`; do not edit.

export interface paths {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read Health
         * @description Alive: the process answers.
         */
        get: operations["read_health_health_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/notifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read Notifications
         * @description Returns the caller's notifications, newest first, with the unread count.
         */
        get: operations["read_notifications_notifications_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/notifications/read-all": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mark All Notifications Read
         * @description Marks every notification of the caller as read.
         */
        post: operations["mark_all_notifications_read_notifications_read_all_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/notifications/{notification_id}/read": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mark Notification Read
         * @description Marks one of the caller's notifications as read.
         */
        post: operations["mark_notification_read_notifications__notification_id__read_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read Readiness
         * @description Ready: every store and the broker this service needs answer. 503 names what is down.
         */
        get: operations["read_readiness_ready_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** HTTPValidationError */
        HTTPValidationError: {
            /** Detail */
            detail?: components["schemas"]["ValidationError"][];
        };
        /** Health */
        Health: {
            /** Status */
            status: string;
        };
        /** NotificationPage */
        NotificationPage: {
            /** Items */
            items: components["schemas"]["NotificationPublic"][];
            /** Limit */
            limit: number;
            /** Offset */
            offset: number;
            /**
             * Total
             * @description How many match the query
             */
            total: number;
            /**
             * Unread
             * @description How many of the caller's notifications are unread
             */
            unread: number;
        };
        /**
         * NotificationPublic
         * @example {
         *       "body": "3 tickets sold for Jazz on the Roof (2 × Regular, 1 × VIP; 75.00 EUR).",
         *       "created_at": "2030-06-01T09:15:00Z",
         *       "data": {
         *         "amount": 7500,
         *         "booking_id": "b7c1",
         *         "currency": "EUR",
         *         "event_id": "e42",
         *         "event_starts_at": "2030-06-21T17:30:00+00:00",
         *         "event_timezone": "Europe/Berlin",
         *         "items": [
         *           {
         *             "name": "Regular",
         *             "quantity": 2,
         *             "ticket_type_id": "t1",
         *             "unit_price": 2000
         *           },
         *           {
         *             "name": "VIP",
         *             "quantity": 1,
         *             "ticket_type_id": "t2",
         *             "unit_price": 3500
         *           }
         *         ],
         *         "tickets": 3
         *       },
         *       "id": "0190f3c2a1b07c3e9d2f4a1b",
         *       "title": "Tickets sold",
         *       "type": "tickets.sold"
         *     }
         */
        NotificationPublic: {
            /**
             * Body
             * @description One or two sentences; times in the event's own time zone, named
             */
            body: string;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /**
             * Data
             * @description Ids and figures for the client to link or show: a booking's `items` (empty from older releases), `event_starts_at` and `event_timezone`, a hold's `expires_at`, an event's `starts_at` and `timezone`
             */
            data: {
                [key: string]: unknown;
            };
            /**
             * Id
             * @description Sorts by the time it was stored; reconnect with `?since=<id>`
             */
            id: string;
            /** Read */
            read: boolean;
            /** Title */
            title: string;
            /**
             * Type
             * @description What happened: `booking.held`, `booking.expired`, `booking.confirmed`, `booking.failed`, `booking.cancelled`, `tickets.sold` (to the organizer), `payment.refunded`, `event.created`, `event.updated` or `event.cancelled`
             */
            type: string;
        };
        /** ReadAllResult */
        ReadAllResult: {
            /**
             * Marked Read
             * @description How many notifications were unread before
             */
            marked_read: number;
        };
        /** Readiness */
        Readiness: {
            /** Checks */
            checks: {
                [key: string]: string;
            };
            /** Status */
            status: string;
        };
        /** ValidationError */
        ValidationError: {
            /** Context */
            ctx?: Record<string, never>;
            /** Input */
            input?: unknown;
            /** Location */
            loc: (string | number)[];
            /** Message */
            msg: string;
            /** Error Type */
            type: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    read_health_health_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    read_notifications_notifications_get: {
        parameters: {
            query?: {
                limit?: number;
                offset?: number;
                /** @description Only the unread ones */
                unread?: boolean;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotificationPage"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description A service identity has no notifications */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request body is larger than the service accepts (`MAX_BODY_SIZE`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            /** @description A store or service this needs is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    mark_all_notifications_read_notifications_read_all_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReadAllResult"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description A service identity has no notifications */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request body is larger than the service accepts (`MAX_BODY_SIZE`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description A store or service this needs is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    mark_notification_read_notifications__notification_id__read_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                notification_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotificationPublic"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description A service identity has no notifications */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The caller has no notification with this id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request body is larger than the service accepts (`MAX_BODY_SIZE`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            /** @description A store or service this needs is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    read_readiness_ready_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
            /** @description A store or the broker is down */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
        };
    };
}
