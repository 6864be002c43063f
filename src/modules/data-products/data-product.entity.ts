import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { DomainEntity } from '../domains/domain.entity';

export const PRODUCT_STATUSES = ['draft', 'active', 'deprecated', 'retired'] as const;
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];

@Entity({ name: 'data_products' })
export class DataProductEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'domain_id' })
  domainId: string;

  @ManyToOne(() => DomainEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'domain_id' })
  domain?: DomainEntity;

  @Column('text')
  name: string;

  @Column('text')
  description: string;

  @Column('text', { name: 'owning_team' })
  owningTeam: string;

  @Column('text', { array: true })
  tags: string[];

  @Column('text')
  status: ProductStatus;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
