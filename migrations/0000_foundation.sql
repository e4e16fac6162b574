CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"participant_id" uuid NOT NULL,
	"prefix" text NOT NULL,
	"secret_hash" text NOT NULL,
	"label" text NOT NULL,
	"scopes" text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "chain_deployments" (
	"chain_id" bigint NOT NULL,
	"contract" text NOT NULL,
	"address" text NOT NULL,
	"tx_hash" text NOT NULL,
	"bytecode_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "chain_deployments_chain_id_contract_pk" PRIMARY KEY("chain_id","contract")
);
--> statement-breakpoint
CREATE TABLE "chain_journal" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"chain_id" bigint NOT NULL,
	"tx_hash" text NOT NULL,
	"raw_tx" text NOT NULL,
	"nonce" integer NOT NULL,
	"purpose" text NOT NULL,
	"block_timestamp" bigint NOT NULL,
	"block_number" bigint,
	"status" text DEFAULT 'sent' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "chain_outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"dedupe_key" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"tx_hash" text,
	"block_number" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"done_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "participants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"registration_scheme" text NOT NULL,
	"registration_code" text NOT NULL,
	"jurisdiction" text NOT NULL,
	"roles" text[] NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"chain_address" text NOT NULL,
	"contact_email" text,
	"verified_at" timestamp with time zone,
	"verified_by" uuid,
	"status_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "participants_roles_nonempty" CHECK (cardinality("participants"."roles") > 0)
);
--> statement-breakpoint
CREATE TABLE "system_state" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_prefix_key" ON "api_keys" USING btree ("prefix");--> statement-breakpoint
CREATE INDEX "api_keys_participant_idx" ON "api_keys" USING btree ("participant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "chain_journal_tx_hash_key" ON "chain_journal" USING btree ("tx_hash");--> statement-breakpoint
CREATE INDEX "chain_journal_chain_idx" ON "chain_journal" USING btree ("chain_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "chain_outbox_dedupe_key" ON "chain_outbox" USING btree ("kind","dedupe_key");--> statement-breakpoint
CREATE INDEX "chain_outbox_pending_idx" ON "chain_outbox" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE UNIQUE INDEX "participants_registration_key" ON "participants" USING btree ("registration_scheme","registration_code");--> statement-breakpoint
CREATE UNIQUE INDEX "participants_chain_address_key" ON "participants" USING btree ("chain_address");